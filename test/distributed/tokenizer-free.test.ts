import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { llama3Dir } from '../../src/tokens/source.js';
import { run } from './helpers.js';

const PIPELINE = `name: tokenizer-free
out: out
datasets:
  sft:
    inputs:
      - { path: data/math.alpaca.jsonl, category: math }
      - { path: data/general.openai.jsonl, category: general }
    stages:
      - dedup: {}
      - tokenize: { tokenizer: tok/tokenizer.json, max_length: 300, over_length: drop }
      - mix: { target: { math: 3000, general: 9000 }, by: category, count: all, max_epochs: 2, seed: 1 }
      - audit: {}
      - write: { path: sft.jsonl }
  dpo:
    kind: preference
    inputs:
      - { path: data/explicit.trl.jsonl, category: explicit }
      - { path: data/ratings.ultrafeedback.jsonl, category: ratings }
    stages:
      - tokenize: { tokenizer: tok/tokenizer.json }
      - pairs: { strategy: best-worst, min_margin: 0, seed: 42 }
      - mix: { target: { explicit: 20000, ratings: 20000 }, by: category, count: all, max_epochs: 2, seed: 3 }
      - write: { path: dpo.jsonl }
`;

describe('decide and merge replay counts: they run without the tokenizer, which only map loads', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-notok-'));
    mkdirSync(join(dir, 'data'));
    for (const f of ['sft/math.alpaca.jsonl', 'sft/general.openai.jsonl', 'preference/explicit.trl.jsonl', 'preference/ratings.ultrafeedback.jsonl']) cpSync(join(ROOT, 'data', f), join(dir, 'data', f.split('/')[1]));
    cpSync(join(llama3Dir(), 'tokenizer.json'), join(dir, 'tok/tokenizer.json'), { recursive: true });
    writeFileSync(join(dir, 'p.yaml'), PIPELINE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with the tokenizer file gone after map, decide and merge give the one-process audit, mixes and outputs', async () => {
    const single = await run(dir, ['run', 'p.yaml', '--out', 'single']);
    expect(single.code, single.stderr).toBe(0);
    const phase = (p: string, rank: number, world: number) => run(dir, ['run', 'p.yaml', '--phase', p, '--rank', String(rank), '--world-size', String(world), '--out', 'multi']);
    for (const r of await Promise.all([0, 1].map((r) => phase('map', r, 2)))) expect(r.code, r.stderr).toBe(0);
    // The pipeline file names the tokenizer by path: loading it now would fail ("tokenizer file not found").
    rmSync(join(dir, 'tok'), { recursive: true });
    const decide = await phase('decide', 0, 1);
    expect(decide.code, decide.stderr).toBe(0);
    for (const r of await Promise.all([0, 1].map((r) => phase('apply', r, 2)))) expect(r.code, r.stderr).toBe(0);
    const merged = await run(dir, ['merge', 'multi/.run']);
    expect(merged.code, merged.stderr).toBe(0);
    const read = (d: string, f: string) => readFileSync(join(dir, d, f), 'utf8');
    for (const f of ['audit.json', 'audit.md', 'sft.jsonl', 'dpo.jsonl', 'sft.mix.json', 'dpo.mix.json', 'summary.json']) expect(read('multi', f), f).toBe(read('single', f));
    // The audit names the tokenizer map loaded (name and sha256), as one process does.
    expect(JSON.parse(read('multi', 'audit.json')).tokenizer).toMatchObject({ name: 'tok/tokenizer.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  }, 600_000);
});
