import { describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest.js';
import { haveRealdata, real } from '../helpers/realdata.js';

/**
 * Exact counts per real file, with `validate` semantics (no dedup) and with `--dedup`.
 * Where the numbers come from (derived outside chatmill, from MANIFEST.md, MESSINESS.md and a
 * throwaway Python count over the files):
 *  - record totals: MANIFEST.md "records" column (JSON object files count as one record).
 *  - glaive_toolcall_zh: records 197 and 293 have an observation turn before any function_call → 2 rejects.
 *  - axolotl conversation.missingturns.json: one turn with value "" (MESSINESS) → empty_turn.
 *  - preference files (hh-rlhf, LF dpo_*, v1_dpo, open-instruct annotation mix with `completions`) are turned
 *    away from SFT as preference_record: they belong to `chatmill pairs`.
 *  - mt_bench (questions without answers), seed_tasks (self-instruct seeds), Hermes few_shot.json
 *    ({"example": ...}), open-instruct generate_* ({text} / {outputs}), LF dataset_info.json (a config)
 *    and the pre-tokenized axolotl fixtures match no conversation shape → unknown_format.
 *  - duplicates: MESSINESS "exact duplicate records": glaive en 35, zh 43, alpaca en 14, zh 8, v1_sft 1.
 *  - warnings: identity.json has {{name}}/{{author}} in 85 of 91 records by a plain search (MESSINESS
 *    says 77; its count differs from a per-record search), v1_sft 50 records, kto 2; kto has 150
 *    label=false records and 1 record with a whitespace-edged turn; toy_chat has one record with no
 *    system turn, one with no user turn and one 26,000-character turn.
 */
const cases: Array<[string, { read: number; kept: number; rejected: number; dropped: number; reasons?: Record<string, number>; warnings?: Record<string, number> }]> = [
  ['anthropic-hh-rlhf/harmless-base_test.jsonl.gz', { read: 2312, kept: 0, rejected: 2312, dropped: 0, reasons: { preference_record: 2312 } }],
  ['axolotl/fixtures/alpaca/alpaca.json', { read: 2, kept: 2, rejected: 0, dropped: 0 }],
  ['axolotl/fixtures/conversation.json', { read: 1, kept: 1, rejected: 0, dropped: 0 }],
  ['axolotl/fixtures/conversation.missingturns.json', { read: 1, kept: 0, rejected: 1, dropped: 0, reasons: { empty_turn: 1 } }],
  ['axolotl/fixtures/conversation.tokenized.json', { read: 1, kept: 0, rejected: 1, dropped: 0, reasons: { unknown_format: 1 } }],
  ['fastchat/dummy_conversation.json', { read: 500, kept: 500, rejected: 0, dropped: 0, warnings: { no_system_prompt: 500 } }],
  ['fastchat/mt_bench_question.jsonl', { read: 80, kept: 0, rejected: 80, dropped: 0, reasons: { unknown_format: 80 } }],
  ['hermes-function-calling/prompt_assets/few_shot.json', { read: 2, kept: 0, rejected: 2, dropped: 0, reasons: { unknown_format: 2 } }],
  ['llamafactory/alpaca_en_demo.json', { read: 999, kept: 999, rejected: 0, dropped: 0 }],
  ['llamafactory/alpaca_zh_demo.json', { read: 1000, kept: 1000, rejected: 0, dropped: 0 }],
  ['llamafactory/dataset_info.json', { read: 1, kept: 0, rejected: 1, dropped: 0, reasons: { unknown_format: 1 } }],
  ['llamafactory/dpo_en_demo.json', { read: 300, kept: 0, rejected: 300, dropped: 0, reasons: { preference_record: 300 } }],
  ['llamafactory/dpo_zh_demo.json', { read: 300, kept: 0, rejected: 300, dropped: 0 }],
  ['llamafactory/glaive_toolcall_en_demo.json', { read: 300, kept: 300, rejected: 0, dropped: 0 }],
  ['llamafactory/glaive_toolcall_zh_demo.json', { read: 300, kept: 298, rejected: 2, dropped: 0, reasons: { tool_result_without_call: 2 } }],
  ['llamafactory/identity.json', { read: 91, kept: 91, rejected: 0, dropped: 0, warnings: { no_system_prompt: 91, template_placeholder: 85 } }],
  ['llamafactory/kto_en_demo.json', { read: 300, kept: 300, rejected: 0, dropped: 0, warnings: { kto_undesirable: 150, leading_trailing_whitespace: 1, no_system_prompt: 300, template_placeholder: 2 } }],
  ['llamafactory/reason_tool_use_demo_50.jsonl', { read: 50, kept: 50, rejected: 0, dropped: 0 }],
  ['llamafactory/v1_dpo_demo.jsonl', { read: 10, kept: 0, rejected: 10, dropped: 0, reasons: { preference_record: 10 } }],
  ['llamafactory/v1_sft_demo.jsonl', { read: 500, kept: 500, rejected: 0, dropped: 0, warnings: { no_system_prompt: 500, template_placeholder: 50 } }],
  ['open-instruct-synth-pref/create_annotation_mix_out_full_helpfulness-full.jsonl', { read: 2, kept: 0, rejected: 2, dropped: 0, reasons: { preference_record: 2 } }],
  ['open-instruct-synth-pref/generate_responses_in_input_file.jsonl', { read: 2, kept: 0, rejected: 2, dropped: 0 }],
  ['openai-cookbook/drone_training.jsonl', { read: 103, kept: 103, rejected: 0, dropped: 0, warnings: {} }],
  ['openai-cookbook/toy_chat_fine_tuning.jsonl', { read: 5, kept: 5, rejected: 0, dropped: 0, warnings: { no_system_prompt: 1, no_user_turn: 1, very_long_turn: 1 } }],
  ['stanford_alpaca/seed_tasks.jsonl', { read: 175, kept: 0, rejected: 175, dropped: 0, reasons: { unknown_format: 175 } }],
];

const dedupCases: Array<[string, number]> = [
  ['llamafactory/glaive_toolcall_en_demo.json', 35],
  ['llamafactory/glaive_toolcall_zh_demo.json', 43],
  ['llamafactory/alpaca_en_demo.json', 14],
  ['llamafactory/alpaca_zh_demo.json', 8],
  ['llamafactory/v1_sft_demo.jsonl', 1],
];

describe.skipIf(!haveRealdata)('every real file is accounted for, with exact counts (skipped without ../shared)', () => {
  it.each(cases)('%s', async (file, want) => {
    const s = (await runIngest({ inputs: [real(file)] })).summary();
    expect(s.files).toHaveLength(1);
    const { read, kept, rejected, dropped } = s.files[0];
    expect({ read, kept, rejected, dropped }).toEqual({ read: want.read, kept: want.kept, rejected: want.rejected, dropped: want.dropped });
    if (want.reasons) expect(s.reasons).toEqual(want.reasons);
    if (want.warnings) expect(s.warnings).toEqual(want.warnings);
  });

  it.each(dedupCases)('--dedup drops the exact duplicates in %s', async (file, dups) => {
    const s = (await runIngest({ inputs: [real(file)], dedup: true })).summary();
    expect(s.dropped).toBe(dups);
    expect(s.read).toBe(s.kept + s.rejected + s.dropped);
  });
});
