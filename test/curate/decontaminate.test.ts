import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decontaminateStage } from '../../src/curate/decontaminate.js';
import { runIngest } from '../../src/ingest.js';
import type { Dropped, Stage } from '../../src/types.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { conv, runStage, type Conv } from './helpers.js';
import { refShingles, refTokens } from './reference.js';

type Evidence = { benchmark: string; benchmark_index: number; benchmark_id?: string; overlap: number };
type Drop = Dropped & { detail: Evidence };
const drops = (outcomes: { kind: string }[]) => outcomes.filter((o): o is Drop => o.kind === 'drop');

/** The benchmark files as published, read here with plain JSON (not chatmill's readers). */
function rows(path: string): Record<string, unknown>[] {
  const buf = readFileSync(real(`benchmarks/${path}`));
  const text = (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  return text.trimStart().startsWith('[') ? JSON.parse(text) : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
// Benchmark names chatmill gives these files: the stem, qualified by the folder when stems repeat (test.jsonl).
const SETS: [string, string, string][] = [
  ['gsm8k/test', 'gsm8k/test.jsonl', 'question'],
  ['math/test', 'math/test.jsonl', 'problem'],
  ['HumanEval', 'humaneval/HumanEval.jsonl.gz', 'prompt'],
  ['input_data', 'ifeval/input_data.jsonl', 'prompt'],
  ['math500/test', 'math500/test.jsonl', 'problem'],
  ['mmlu_stem/test', 'mmlu_stem/test.jsonl', 'question'],
  ['v0.1_question', 'arena-hard/v0.1_question.jsonl', 'prompt'],
  ['example_outputs', 'alpaca_eval/example_outputs.json', 'instruction'],
];
const itemText = (r: Record<string, unknown>, field: string) => (Array.isArray(r.choices) ? [r[field], ...r.choices].join('\n') : (r[field] as string));
const wrap = (t: string) => `Hi! I was given this to work on and I am stuck:\n\n${t}\n\nCan you walk me through it step by step? Thanks a lot.`;

describe.skipIf(!haveRealdata)('decontaminate with the real benchmark sets (skipped without ../shared)', () => {
  let stage: Stage<Conv, Conv> & { stats(): { items: number; tooShort: number } };
  const data = new Map<string, Record<string, unknown>[]>();
  beforeAll(async () => {
    stage = await decontaminateStage<Conv>({ benchmarks: [real('benchmarks')] });
    for (const [name, path] of SETS) data.set(name, rows(path));
  });

  it('loads every set: items per file as published (MANIFEST.md)', () => {
    // 805 + 500 + 1319 + 164 + 541 + 5000 + 500 + 3018 records. The Python reference finds 11,535 items of
    // 8 tokens or more and 311 of 3 to 7, so one item is under 3 tokens (AlpacaEval's 'Write "Test"').
    expect(stage.stats().items).toBe(11847);
    expect(stage.stats().tooShort).toBe(1);
  });

  it('finds planted items embedded in longer prompts, naming the item (or an identical one in another set)', async () => {
    const planted: [string, number][] = [];
    for (const [name] of SETS) {
      const n = data.get(name)!.length;
      for (const i of [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n - 1]) planted.push([name, i]);
    }
    const field = new Map(SETS.map(([n, , f]) => [n, f]));
    const recs = planted.map(([name, i]) => conv(`${name}#${i}`, wrap(itemText(data.get(name)![i], field.get(name)!)), 'Sure, here is how.'));
    const { outcomes } = await runStage(stage, recs);
    const d = drops(outcomes);
    expect(d.length).toBe(planted.length);
    for (const [k, [name, i]] of planted.entries()) {
      const got = d[k].detail;
      expect(d[k].reason).toBe('contaminated');
      expect(got.overlap).toBe(1);
      // MATH-500 is a subset of MATH, which is read first; an item may also repeat within a set.
      const same = got.benchmark === name && got.benchmark_index === i;
      const twin = itemText(data.get(got.benchmark)![got.benchmark_index], field.get(got.benchmark)!).trim() === itemText(data.get(name)![i], field.get(name)!).trim();
      expect(same || twin, `${name}[${i}] reported as ${got.benchmark}[${got.benchmark_index}]`).toBe(true);
    }
    // Items with their own id carry it (HumanEval task_id).
    expect(d.find((x) => x.id === 'HumanEval#0')!.detail.benchmark_id).toBe('HumanEval/0');
  });

  it('partial copies: contaminated exactly when more than 50% of the item 8-grams occur (reference overlap)', async () => {
    const recs: Conv[] = [];
    const expected: number[] = [];
    for (const i of [3, 40, 700, 1200]) {
      const words = (data.get('gsm8k/test')![i].question as string).split(/\s+/);
      for (const frac of [0.3, 0.45, 0.55, 0.6, 0.8]) {
        const part = words.slice(0, Math.round(words.length * frac)).join(' ');
        recs.push(conv(`g${i}@${frac}`, wrap(part)));
        const item = refShingles(refTokens(words.join(' ')), 8);
        const rec = refShingles(refTokens(wrap(part)), 8);
        expected.push([...item].filter((g) => rec.has(g)).length / item.size);
      }
    }
    const { outcomes } = await runStage(stage, recs);
    outcomes.forEach((o, k) => {
      expect(o.kind, recs[k].id).toBe(expected[k] > 0.5 ? 'drop' : 'keep');
      if (o.kind === 'drop') expect((o as Drop).detail.overlap).toBe(expected[k]);
    });
    expect(expected.filter((x) => x > 0.5).length).toBeGreaterThan(5);
    expect(expected.filter((x) => x <= 0.5).length).toBeGreaterThan(5);
  });

  it('short items match by containment of the whole normalized item', async () => {
    // AlpacaEval has "What is Atlantis?" (3 words): contained → contaminated; a part of it → not.
    const atl = data.get('example_outputs')!.findIndex((r) => r.instruction === 'What is Atlantis?');
    const { outcomes } = await runStage(stage, [
      conv('a', 'Quick one -- WHAT is Atlantis?? I read about it in a book.'),
      conv('b', 'Is Atlantis real, and what is it?'),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['drop', 'keep']);
    expect((outcomes[0] as Drop).detail).toEqual({ benchmark: 'example_outputs', benchmark_index: atl, overlap: 1 });
  });

  it('leaves unrelated real conversations alone: exact counts from the independent Python reference', async () => {
    // test/curate/reference/decontaminate.py over these files prints 0 contaminated records for each.
    const files = ['llamafactory/alpaca_en_demo.json', 'llamafactory/alpaca_zh_demo.json', 'fastchat/dummy_conversation.json', 'llamafactory/glaive_toolcall_en_demo.json', 'openai-cookbook/drone_training.jsonl'];
    const dropped: Dropped[] = [];
    const tally = await runIngest({ inputs: files.map(real), extraStages: [stage], sinks: { reject() {}, drop: (d) => void dropped.push(d) } });
    expect(dropped.filter((d) => d.reason === 'contaminated')).toEqual([]);
    // 999 + 1000 + 500 + 300 + 103 read, and all of them kept (none of these files has a reject).
    expect([tally.summary().read, tally.summary().kept]).toEqual([2902, 2902]);
  });

  it('mode: report keeps the records and counts the warning `contaminated`', async () => {
    const report = await decontaminateStage<Conv>({ benchmarks: [real('benchmarks/gsm8k/test.jsonl')], mode: 'report' });
    const q = data.get('gsm8k/test')!;
    const { outcomes, warnings } = await runStage(report, [conv('1', wrap(q[5].question as string)), conv('2', 'Tell me a joke about cats.'), conv('3', wrap(q[6].question as string))]);
    expect(outcomes.map((o) => o.kind)).toEqual(['keep', 'keep', 'keep']);
    expect(warnings).toEqual({ contaminated: 2 });
    expect(report.stats().byBenchmark).toEqual({ test: { itemsMatched: 2, records: 2, bySource: { t: 2 } } });
  });

  it('roles: user turns by default; assistant turns only when asked', async () => {
    const q = data.get('gsm8k/test')!;
    const rec = conv('x', 'Give me a word problem.', q[9].question as string);
    expect((await runStage(stage, [rec])).outcomes[0].kind).toBe('keep');
    const both = await decontaminateStage<Conv>({ benchmarks: [real('benchmarks/gsm8k/test.jsonl')], roles: ['user', 'assistant'] });
    expect((await runStage(both, [rec])).outcomes[0].kind).toBe('drop');
  });
});

describe('decontaminate configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-decon-'));
  it('field and name options; min_words; a file with no text field is a usage error', async () => {
    writeFileSync(join(dir, 'bench.jsonl'), '{"q": "Write \\"Test\\""}\n{"q": "name three primary colors please"}\n');
    await expect(decontaminateStage({ benchmarks: [join(dir, 'bench.jsonl')] })).rejects.toThrow(/no record has any of question, prompt/);
    const s = await decontaminateStage<Conv>({ benchmarks: [{ path: join(dir, 'bench.jsonl'), field: 'q', name: 'mine' }] });
    // "Write "Test"" has 2 tokens: under min_words (3), so "write test cases" is no match by default.
    const recs = [conv('1', 'Please write test cases for this.'), conv('2', 'Name three primary colors, please!')];
    expect(drops((await runStage(s, recs)).outcomes).map((d) => [d.id, d.detail])).toEqual([['2', { benchmark: 'mine', benchmark_index: 1, overlap: 1 }]]);
    const loose = await decontaminateStage<Conv>({ benchmarks: [{ path: join(dir, 'bench.jsonl'), field: 'q', name: 'mine' }], minWords: 1 });
    expect(drops((await runStage(loose, recs)).outcomes).map((d) => d.id)).toEqual(['1', '2']);
  });
});
