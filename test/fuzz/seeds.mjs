/**
 * The real records the fuzzer starts from: every record of the conversation files in ../shared/realdata
 * (LLaMA-Factory, OpenAI cookbook, FastChat, Hermes function calling, Anthropic HH-RLHF, open-instruct's
 * UltraFeedback-style samples, Stanford Alpaca, axolotl fixtures), grouped by family so a fuzzed file can
 * look like a real one (mostly one shape) before it is damaged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const FILES = [
  ['sft', 'llamafactory/alpaca_en_demo.json'], ['sft', 'llamafactory/alpaca_zh_demo.json'], ['sft', 'llamafactory/identity.json'],
  ['tools', 'llamafactory/glaive_toolcall_en_demo.json'], ['tools', 'llamafactory/glaive_toolcall_zh_demo.json'],
  ['tools', 'llamafactory/reason_tool_use_demo_50.jsonl'], ['sft', 'llamafactory/v1_sft_demo.jsonl'],
  ['pref', 'llamafactory/dpo_en_demo.json'], ['pref', 'llamafactory/dpo_zh_demo.json'], ['pref', 'llamafactory/kto_en_demo.json'],
  ['pref', 'llamafactory/v1_dpo_demo.jsonl'],
  ['sft', 'openai-cookbook/toy_chat_fine_tuning.jsonl'], ['tools', 'openai-cookbook/drone_training.jsonl'],
  ['sft', 'fastchat/dummy_conversation.json'], ['sft', 'fastchat/mt_bench_question.jsonl'],
  ['tools', 'hermes-function-calling/prompt_assets/few_shot.json'],
  ['pref', 'anthropic-hh-rlhf/harmless-base_test.jsonl.gz'],
  ['pref', 'open-instruct-synth-pref/create_annotation_mix_out_full_helpfulness-full.jsonl'],
  ['pref', 'open-instruct-synth-pref/generate_responses_out_model0_input_file.jsonl'],
  ['sft', 'stanford_alpaca/seed_tasks.jsonl'],
  ['sft', 'axolotl/fixtures/conversation.json'], ['sft', 'axolotl/fixtures/conversation.missingturns.json'],
];

/**
 * @param {string} realdata the ../shared/realdata folder
 * @returns {{ families: Record<string, unknown[]>, sources: string[], total: number }}
 */
export function loadSeeds(realdata) {
  /** @type {Record<string, unknown[]>} */
  const families = { sft: [], tools: [], pref: [] };
  const sources = [];
  for (const [family, rel] of FILES) {
    const path = join(realdata, rel);
    if (!existsSync(path)) continue;
    let bytes = readFileSync(path);
    if (rel.endsWith('.gz')) bytes = gunzipSync(bytes);
    const text = bytes.toString('utf8');
    const records = /\.jsonl(\.gz)?$/.test(rel)
      ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
      : [JSON.parse(text)].flat();
    families[family].push(...records);
    sources.push(rel);
  }
  const total = Object.values(families).reduce((s, f) => s + f.length, 0);
  return { families, sources, total };
}
