import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { PreferencePair } from '../../schemas/preference.js';
import { countBy, REALDATA, runPairs } from './run-helper.js';

const have = existsSync(REALDATA);
const f = (p: string) => REALDATA + p;

describe.skipIf(!have)('pairs on ../shared/realdata (skipped when the folder is absent)', () => {
  test('LLaMA-Factory dpo_en_demo: all 300 records pair', async () => {
    // 300 records, each conversations (ending on a human turn) + one gpt chosen + one gpt rejected;
    // no record has chosen == rejected or an empty side. (5 exact duplicate records are dedup's job.)
    const r = await runPairs([f('llamafactory/dpo_en_demo.json')]);
    expect(r.out.length).toBe(300);
    expect(r.rejects.length).toBe(0);
    const first = r.out[0] as PreferencePair;
    expect(first.prompt.map((m) => m.role)).toEqual(['user']);
    expect(first.chosen.map((m) => m.role)).toEqual(['assistant']);
    // 80 records start with a system turn (MESSINESS.md): it stays in the prompt.
    expect(r.out.filter((p) => p.prompt[0].role === 'system').length).toBe(80);
  });

  test('LLaMA-Factory dpo_zh_demo: all 300 records pair (U+FFFD text is kept as is)', async () => {
    const r = await runPairs([f('llamafactory/dpo_zh_demo.json')]);
    expect(r.out.length).toBe(300);
    expect(r.rejects.length).toBe(0);
    // 64 of the 300 conversations open with a system turn (roles system,human).
    expect(r.out.filter((p) => p.prompt[0].role === 'system').length).toBe(64);
  });

  test('LLaMA-Factory v1_dpo_demo: 10 implicit-prompt pairs, prompt = the shared system + user turns', async () => {
    // Each record: chosen_messages and rejected_messages = [system, user, assistant], first two equal.
    const r = await runPairs([f('llamafactory/v1_dpo_demo.jsonl')]);
    expect(r.out.length).toBe(10);
    expect(r.rejects.length).toBe(0);
    for (const p of r.out as PreferencePair[]) {
      expect(p.prompt.map((m) => m.role)).toEqual(['system', 'user']);
      expect(p.chosen.length).toBe(1);
    }
    // Leading whitespace in replies is kept (MESSINESS.md: rejected replies start with a space).
    expect((r.out[0] as PreferencePair).rejected[0].content.startsWith(' Abdulah')).toBe(true);
  });

  test('kto_en_demo: 300 unpaired records by default (150 desirable, 150 undesirable)', async () => {
    const r = await runPairs([f('llamafactory/kto_en_demo.json')]);
    expect(r.out.length).toBe(300);
    expect(r.out.filter((u) => 'label' in u && u.label).length).toBe(150);
    expect(r.rejects.length + r.drops.length).toBe(0);
  });

  test('kto_en_demo paired by prompt: 1 pair, 1 merged, 298 without counterpart', async () => {
    // 297 distinct prompts (messages minus the last turn); three prompts occur twice: records 36+102
    // (both true), 181+293 (both true) and 64 (true) + 195 (false). Only the last has both labels.
    const r = await runPairs([f('llamafactory/kto_en_demo.json')], { kto: 'paired' });
    expect(r.out.length).toBe(1);
    expect(r.out[0].index).toBe(64);
    expect(countBy(r.drops)).toEqual({ merged_into_pair: 1, no_counterpart: 298 });
  });

  test('HH harmless-base test: 2255 pairs, 57 rejects, each defect named', async () => {
    const r = await runPairs([f('anthropic-hh-rlhf/harmless-base_test.jsonl.gz')]);
    // 2312 records (MANIFEST.md). Rejected:
    // - prompt_mismatch 5: the 5 pairs whose prompts diverge before the last turn (MESSINESS.md):
    //   records 1254, 1688, 1950, 1952, 2036 (one side has an extra "\n\nAssistant:" turn).
    // - speaker_leak 45: a "Human:"/"Assistant:" label inside some turn's text, mostly
    //   "\n\nAssistant: Human: …" (e.g. records 29, 105, 140, …, 2260).
    // - broken_turn_order 3: two Assistant turns in a row inside the shared prompt (763, 1319, 1849;
    //   667 also has one but is counted as a speaker_leak, which is checked first).
    // - empty_response 4: the 4 records whose final chosen reply is empty (MESSINESS.md): 86, 516, 925, 1103.
    expect(countBy(r.rejects)).toEqual({ prompt_mismatch: 5, speaker_leak: 45, broken_turn_order: 3, empty_response: 4 });
    expect(r.out.length).toBe(2312 - 57);
    const byReason = (reason: string) => r.rejects.filter((x) => x.reason === reason).map((x) => x.ref.index);
    expect(byReason('prompt_mismatch')).toEqual([1254, 1688, 1950, 1952, 2036]);
    expect(byReason('empty_response')).toEqual([86, 516, 925, 1103]);
    expect(byReason('broken_turn_order')).toEqual([763, 1319, 1849]);
    expect(r.tally.summary().files[0]).toMatchObject({ read: 2312, kept: 2255, rejected: 57, dropped: 0 });
  });

  test('HH kept pairs split exactly as TRL hh-rlhf-helpful-base.py would', async () => {
    // TRL's script: prompt text = common character prefix, cut back to the last "\n\nAssistant: ";
    // the rest of each string is the reply; the prompt is split on the two markers.
    const lines = gunzipSync(readFileSync(f('anthropic-hh-rlhf/harmless-base_test.jsonl.gz'))).toString('utf8').trim().split('\n');
    const rows = lines.map((l) => JSON.parse(l) as { chosen: string; rejected: string });
    const r = await runPairs([f('anthropic-hh-rlhf/harmless-base_test.jsonl.gz')]);
    const A = '\n\nAssistant: ';
    for (const p of r.out as PreferencePair[]) {
      const { chosen, rejected } = rows[p.index];
      let k = 0;
      while (k < chosen.length && chosen[k] === rejected[k]) k++;
      let prompt = chosen.slice(0, k);
      if (!prompt.endsWith(A)) prompt = prompt.slice(0, prompt.lastIndexOf(A)) + A;
      expect(p.chosen[0].content).toBe(chosen.slice(prompt.length));
      expect(p.rejected[0].content).toBe(rejected.slice(prompt.length));
      const pieces = prompt.slice(0, -A.length).split(/(\n\nAssistant: |\n\nHuman: )/).slice(1);
      const turns = [];
      for (let i = 0; i < pieces.length; i += 2) turns.push({ role: pieces[i] === '\n\nHuman: ' ? 'user' : 'assistant', content: pieces[i + 1] });
      expect(p.prompt).toEqual(turns);
    }
  });

  test('open-instruct synth-pref examples: no pairs, every record rejected with a reason', async () => {
    const dir = 'open-instruct-synth-pref/';
    // Annotation mix: 2 records, 4 completions each, but no ratings yet (annotation happens later).
    const mix = await runPairs([f(`${dir}create_annotation_mix_out_full_helpfulness-full.jsonl`)]);
    expect(mix.out.length).toBe(0);
    expect(countBy(mix.rejects)).toEqual({ missing_rating: 2 });
    // Generation output: one model's single output per prompt; a pair needs two.
    const gen = await runPairs([f(`${dir}generate_responses_out_model0_input_file.jsonl`)]);
    expect(countBy(gen.rejects)).toEqual({ too_few_completions: 2 });
    // Generation input: bare {"text"} prompts, no responses at all.
    const inp = await runPairs([f(`${dir}generate_responses_in_input_file.jsonl`)]);
    expect(countBy(inp.rejects)).toEqual({ not_preference: 2 });
  });
});
