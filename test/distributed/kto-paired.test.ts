import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { cardNumbers, lines, read, run, runRanks, shardRows } from './helpers.js';

const PIPELINE = `name: kto-test
out: out
datasets:
  prefs:
    kind: preference
    inputs:
      - { path: data/kto_a.jsonl, category: kto_a }
      - { path: data/explicit.trl.jsonl, category: trl }
      - { path: data/kto_b.jsonl, category: kto_b }
    stages:
      - tokenize: { tokenizer: hermes3 }
      - pairs: { strategy: best-worst, min_margin: 0, seed: 42, kto: paired }
      - mix: { target: { kto_a: 12, trl: 40, kto_b: 30 }, by: category, count: pairs, max_epochs: 2, seed: 5 }
      - write: { path: dpo.jsonl }
      - export: { split: train, compression: zstd }
card: { title: KTO test, license: apache-2.0 }
`;

type Kto = { messages: { role: string; content: string }[]; label: boolean };

/**
 * Two KTO files made from the bundled kto.jsonl: each record, and for some an opposite-label record with the
 * same prompt (a pair by prompt), spread through the file so byte ranges would part them. kto_b also repeats
 * prompts of kto_a with the opposite label: pairing is within a file, so those find no counterpart.
 */
function makeData(dir: string): void {
  mkdirSync(join(dir, 'data'));
  const records = readFileSync(join(ROOT, 'data/preference/kto.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Kto);
  const opposite = (r: Kto, n: number): Kto => ({ messages: [...r.messages.slice(0, -1), { role: 'assistant', content: `${r.messages.at(-1)!.content} (another answer, ${n})` }], label: !r.label });
  const a = records.slice(0, 25);
  const b = records.slice(25);
  const fileA = [...a, ...a.filter((_, i) => i % 2 === 0).map((r, i) => opposite(r, i))];
  const fileB = [...b.slice(0, 10), ...a.slice(1, 6).map((r, i) => opposite(r, 100 + i)), ...b.slice(10), ...b.filter((_, i) => i % 3 === 0).map((r, i) => opposite(r, i))];
  writeFileSync(join(dir, 'data/kto_a.jsonl'), fileA.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'data/kto_b.jsonl'), fileB.map((r) => JSON.stringify(r)).join('\n') + '\n');
  cpSync(join(ROOT, 'data/preference/explicit.trl.jsonl'), join(dir, 'data/explicit.trl.jsonl'));
}

describe('pairs with kto: paired over 3 ranks gives the one-process result', () => {
  let dir: string;
  let single: string;
  let multi: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-kto-'));
    makeData(dir);
    writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
    single = join(dir, 'single');
    multi = join(dir, 'multi');
    const one = await run(dir, ['run', 'pipeline.yaml', '--out', 'single']);
    if (one.code !== 0) throw new Error(`single run failed: ${one.stderr}`);
    // 3 kB split size: every file here is larger, and would be cut into byte ranges if pairing allowed it.
    await runRanks(dir, 'pipeline.yaml', 3, 'multi', ['--split-bytes', '3000']);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pairs KTO records by prompt within each file, and each file is one work unit', () => {
    const drops = lines(single, 'dropped.jsonl').map((l) => JSON.parse(l) as { reason: string; source: string });
    for (const f of ['data/kto_a.jsonl', 'data/kto_b.jsonl']) expect(drops.filter((d) => d.reason === 'merged_into_pair' && d.source === f).length, f).toBeGreaterThan(3);
    // The kto_a prompts repeated in kto_b with the opposite label pair with nothing there.
    expect(drops.filter((d) => d.reason === 'no_counterpart' && d.source === 'data/kto_b.jsonl').length).toBeGreaterThanOrEqual(5);
    const plan = JSON.parse(read(multi, '.run/run.json')) as { units: { path: string; start?: number; rank: number }[] };
    expect(plan.units.map((u) => [u.path, u.start])).toEqual([['data/kto_a.jsonl', undefined], ['data/explicit.trl.jsonl', undefined], ['data/kto_b.jsonl', undefined]]);
    expect(new Set(plan.units.map((u) => u.rank)).size).toBe(3);
  });

  it('same pairs in the same order, same drops and rejects, summary, mix report, pair statistics, card numbers and shards', async () => {
    for (const f of ['dpo.jsonl', 'summary.json', 'prefs.mix.json', 'prefs.pair-stats.json']) expect(read(multi, f), f).toBe(read(single, f));
    for (const f of ['rejects.jsonl', 'dropped.jsonl']) expect(lines(multi, f).sort(), f).toEqual(lines(single, f).sort());
    expect(cardNumbers(read(multi, 'dataset/README.md'))).toBe(cardNumbers(read(single, 'dataset/README.md')));
    expect(await shardRows(join(multi, 'dataset'), 'prefs')).toEqual(await shardRows(join(single, 'dataset'), 'prefs'));
  });
});
