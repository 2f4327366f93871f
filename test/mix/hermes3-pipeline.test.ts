/**
 * `chatmill run pipelines/hermes3-mix.yaml` on the bundled data: the SFT set is built to Hermes 3's published
 * category shares (the Hermes 3 technical report's table, written out here by hand), within 1 point for every
 * category, and the exported Parquet rows (read back with DuckDB) hold exactly that mixture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { duckRows } from '../export/helpers.js';

// Hermes 3 SFT mixture, millions of tokens per category (Hermes 3 technical report, Nous Research 2024).
const HERMES3_MILLIONS: Record<string, number> = {
  general: 236,
  domain_expert: 50,
  math: 26,
  roleplay: 24,
  coding: 18,
  tool_use: 17,
  content_generation: 12,
  steering: 10,
};
const HERMES3_TOTAL = Object.values(HERMES3_MILLIONS).reduce((a, b) => a + b, 0);

describe('the hermes3-mix pipeline on the bundled data', () => {
  let out: string;
  beforeAll(async () => {
    out = tmp();
    const r = await chatmill(['run', 'pipelines/hermes3-mix.yaml', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('every category share is within 1 point of Hermes 3, counted from sft.jsonl', () => {
    const tokens: Record<string, number> = {};
    let total = 0;
    for (const line of readFileSync(join(out, 'sft.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { category: string; n_tokens: number };
      tokens[r.category] = (tokens[r.category] ?? 0) + r.n_tokens;
      total += r.n_tokens;
    }
    expect(Object.keys(tokens).sort()).toEqual(Object.keys(HERMES3_MILLIONS).sort()); // json_mode is not a Hermes 3 category
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    expect(md).toContain('### Mixture built to hermes3 · sft');
    for (const [category, millions] of Object.entries(HERMES3_MILLIONS)) {
      const built = tokens[category] / total;
      expect(Math.abs(built - millions / HERMES3_TOTAL), category).toBeLessThan(0.01);
      // The audit's mixture table states the same built share (Hermes 3 categories are written with spaces there).
      const row = md.split('\n').find((l) => l.startsWith(`| ${category.replace(/_/g, ' ')} |`));
      expect(row, category).toContain(`| ${(built * 100).toFixed(1)}% |`);
    }
  });

  it('the books balance per input file, with repeats as extra outputs and every left-out record in dropped.jsonl', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const f of summary.files) expect(f.read, f.path).toBe(f.kept + f.rejected + f.dropped);
    const drops = readFileSync(join(out, 'dropped.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const overBudget = drops.filter((d) => d.reason === 'over_budget');
    const notInTarget = drops.filter((d) => d.reason === 'not_in_target');
    // The 100 good json_mode records and the 5 planted JSON-mode breaks: this pipeline runs no json_mode check.
    expect(notInTarget.map((d) => d.source)).toEqual(Array(105).fill('data/sft/json_mode.openai.jsonl.gz'));
    expect(overBudget.length).toBeGreaterThan(0);
    for (const d of overBudget) expect(d).toMatchObject({ group: expect.any(String), budget: expect.any(Number), used: expect.any(Number) });
    const sft = readFileSync(join(out, 'sft.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const originals = sft.filter((r) => r.repeat === undefined);
    const copies = sft.filter((r) => r.repeat !== undefined);
    expect(copies.length).toBeGreaterThan(0);
    // A copy follows its original (or an earlier copy) with the same id, counting up from 1.
    for (const [i, r] of sft.entries()) if (r.repeat !== undefined) expect([sft[i - 1].id, sft[i - 1].repeat ?? 0]).toEqual([r.id, r.repeat - 1]);
    // Every record kept from an SFT file appears once as an original.
    const sftFiles = summary.files.filter((f: { path: string }) => f.path.startsWith('data/sft/'));
    expect(originals.length).toBe(sftFiles.reduce((s: number, f: { kept: number }) => s + f.kept, 0));
  });

  it('the Parquet export holds the same mixture, and the card states target against built', async () => {
    const rows = await duckRows(`SELECT category, count(*)::INT AS n, sum(n_tokens)::BIGINT AS tokens FROM read_parquet('${join(out, 'dataset/data/sft/*.parquet')}') GROUP BY category ORDER BY category`);
    const fromJsonl: Record<string, [number, number]> = {};
    for (const line of readFileSync(join(out, 'sft.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line);
      const [n, t] = fromJsonl[r.category] ?? [0, 0];
      fromJsonl[r.category] = [n + 1, t + r.n_tokens];
    }
    expect(Object.fromEntries(rows.map((r) => [r.category, [r.n, Number(r.tokens)]]))).toEqual(fromJsonl);
    // Copies are marked in Parquet as in sft.jsonl: `repeat` k for the k-th extra copy, null for the record itself.
    const jsonl = readFileSync(join(out, 'sft.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const parquet = await duckRows(`SELECT id, repeat FROM read_parquet('${join(out, 'dataset/data/sft/*.parquet')}', filename = true, file_row_number = true) ORDER BY filename, file_row_number`);
    expect(parquet.map((r) => [r.id, r.repeat === null ? null : Number(r.repeat)])).toEqual(jsonl.map((r) => [r.id, r.repeat ?? null]));
    expect(parquet.filter((r) => r.repeat !== null).length).toBeGreaterThan(0);
    const card = readFileSync(join(out, 'dataset/README.md'), 'utf8');
    expect(card).toContain('## Mixture built to a target (`sft`)');
    expect(card).toMatch(/\| general \| 60\.1% \| 60\.\d% \|/);
  });
});
