/**
 * chatmill's output checked against the real Python stack (issue 13 part 1): `datasets.load_dataset` reads
 * every config of a `chatmill run` on the bundled data with the card's features; transformers'
 * apply_chat_template gives every SFT record's counts; TRL's SFTTrainer, DPOTrainer and KTOTrainer train two
 * steps on the exported Parquet, unchanged, and the ids they build have exactly chatmill's lengths.
 * Expectations all come from the Python libraries (test/interop/trainer_view.py), never from chatmill.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { havePython, interopRequired, LLAMA3_TOKENIZER_JSON, PYTHON, readJsonl, runInterop, trainerView } from './helpers.js';

const MINUTES = 60_000;

describe.runIf(interopRequired)('interop Python required', () => {
  it(`has ${PYTHON} (scripts/interop/setup.sh)`, () => expect(havePython).toBe(true));
});

interface Sft {
  id: string;
  tools?: unknown[];
  messages: { role: string; tool_calls?: unknown[]; name?: string }[];
  n_tokens: number;
  n_response_tokens: number;
}
interface Pair {
  id: string;
  chosen?: unknown[];
  label?: boolean;
  tools?: unknown[];
  n_prompt_tokens: number;
  n_chosen_tokens?: number;
  n_rejected_tokens?: number;
  n_completion_tokens?: number;
}

describe.runIf(runInterop)('the real datasets / transformers / TRL stack on a chatmill run of the bundled data', () => {
  let out: string;
  let hfHome: string;
  let sft: Sft[];
  let dpo: Pair[];
  let kto: Pair[];
  const env = () => ({ HF_HOME: hfHome });

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'chatmill-interop-'));
    hfHome = join(out, 'hf-home'); // datasets' cache lives here, not in ~/.cache
    const r = await chatmill(['run', '--out', join(out, 'run')]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    sft = readJsonl<Sft>(await readFile(join(out, 'run', 'sft.jsonl'), 'utf8'));
    const pairs = readJsonl<Pair>(await readFile(join(out, 'run', 'dpo.jsonl'), 'utf8'));
    dpo = pairs.filter((p) => p.chosen);
    kto = pairs.filter((p) => p.label !== undefined);
  }, 10 * MINUTES);
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('load_dataset reads every config; its features equal the card\'s dataset_info; row counts match', async () => {
    type Cfg = { rows: number; card_rows: number; features_equal: boolean; features: unknown; card_features: unknown };
    const got = await trainerView<{ configs: Record<string, Cfg> }>(['load', join(out, 'run', 'dataset')], env());
    expect(Object.keys(got.configs).sort()).toEqual(['dpo', 'dpo_kto', 'sft']);
    for (const [name, c] of Object.entries(got.configs)) {
      expect(c.features, name).toEqual(c.card_features);
      expect(c.features_equal, name).toBe(true);
      expect(c.rows, name).toBe(c.card_rows);
    }
    expect(got.configs.sft.rows).toBe(sft.length);
    expect(got.configs.dpo.rows).toBe(dpo.length);
    expect(got.configs.dpo_kto.rows).toBe(kto.length);
  }, 10 * MINUTES);

  it('apply_chat_template(return_assistant_tokens_mask=True): every SFT record, with and without tools, has len(input_ids) == n_tokens and sum(assistant_masks) == n_response_tokens', async () => {
    const got = await trainerView<{ records: Array<[string, number, number]> }>(['sft-counts', LLAMA3_TOKENIZER_JSON, join(out, 'run', 'sft.jsonl')], env());
    expect(got.records.length).toBe(sft.length);
    expect(sft.filter((r) => r.tools?.length).length).toBeGreaterThan(100);
    // Tool calls reach transformers (and, below, SFTTrainer through the export) as structured turns.
    expect(sft.filter((r) => r.messages.some((m) => m.tool_calls)).length).toBeGreaterThan(100);
    expect(sft.filter((r) => r.messages.some((m) => m.role === 'tool' && m.name)).length).toBeGreaterThan(100);
    const ours = sft.map((r) => [r.id, r.n_tokens, r.n_response_tokens]);
    expect(got.records).toEqual(ours);
  }, 15 * MINUTES);

  it('SFTTrainer (assistant_only_loss) trains 2 steps on data/sft; its input_ids and trained labels match n_tokens / n_response_tokens', async () => {
    type R = { sft: { steps: number; loss: number; rows: Array<[string, number, number]> } };
    const got = await trainerView<R>(['train', 'sft', LLAMA3_TOKENIZER_JSON, join(out, 'run', 'dataset')], env());
    expect(got.sft.steps).toBe(2);
    expect(Number.isFinite(got.sft.loss)).toBe(true);
    expect(got.sft.rows).toEqual(sft.map((r) => [r.id, r.n_tokens, r.n_response_tokens]));
  }, 20 * MINUTES);

  it('DPOTrainer trains 2 steps on data/dpo; prompt_ids, chosen_ids, rejected_ids have exactly n_prompt/chosen/rejected_tokens', async () => {
    type R = { dpo: { steps: number; loss: number; rows: Array<[string, number, number, number]> } };
    const got = await trainerView<R>(['train', 'dpo', LLAMA3_TOKENIZER_JSON, join(out, 'run', 'dataset')], env());
    expect(got.dpo.steps).toBe(2);
    expect(Number.isFinite(got.dpo.loss)).toBe(true);
    expect(dpo.length).toBeGreaterThan(500);
    expect(got.dpo.rows).toEqual(dpo.map((p) => [p.id, p.n_prompt_tokens, p.n_chosen_tokens, p.n_rejected_tokens]));
  }, 20 * MINUTES);

  it('KTOTrainer trains 2 steps on data/dpo_kto; prompt_ids and completion_ids have exactly n_prompt_tokens / n_completion_tokens', async () => {
    type R = { kto: { steps: number; loss: number; rows: Array<[string, number, number]> } };
    const got = await trainerView<R>(['train', 'kto', LLAMA3_TOKENIZER_JSON, join(out, 'run', 'dataset')], env());
    expect(got.kto.steps).toBe(2);
    expect(Number.isFinite(got.kto.loss)).toBe(true);
    expect(kto.length).toBeGreaterThan(10);
    expect(got.kto.rows).toEqual(kto.map((p) => [p.id, p.n_prompt_tokens, p.n_completion_tokens]));
  }, 20 * MINUTES);
});
