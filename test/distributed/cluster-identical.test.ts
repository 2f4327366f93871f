import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE, cardNumbers, lines, makeCorpus, read, run, runRanks, shardRows } from './helpers.js';

describe('a pipeline run over 4 ranks (separate processes) gives the same out/ as one process', () => {
  let dir: string;
  let single: string;
  let multi: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-scale-'));
    makeCorpus(dir);
    writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE('out'));
    single = join(dir, 'single');
    multi = join(dir, 'multi');
    const one = await run(dir, ['run', 'pipeline.yaml', '--out', 'single']);
    if (one.code !== 0) throw new Error(`single run failed: ${one.stderr}`);
    // 40 kB work units: the larger JSONL files are cut into byte ranges, so one file spreads over ranks.
    await runRanks(dir, 'pipeline.yaml', 4, 'multi', ['--split-bytes', '40000']);
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans byte ranges of large JSONL files and keeps gzip whole', () => {
    const plan = JSON.parse(read(multi, '.run/run.json')) as { units: { path: string; start?: number; line?: number; rank: number }[] };
    const general = plan.units.filter((u) => u.path === 'data/sft/general.openai.jsonl');
    expect(general.length).toBeGreaterThan(3);
    expect(new Set(general.map((u) => u.rank)).size).toBe(4);
    expect(plan.units.filter((u) => u.path.endsWith('.gz'))).toEqual([expect.not.objectContaining({ start: expect.anything() })]);
  });

  it('the global stages acted, across ranks', () => {
    const drops = lines(single, 'dropped.jsonl').map((l) => JSON.parse(l) as { reason: string; source: string; duplicate_of?: string });
    const reasons = new Set(drops.map((d) => d.reason));
    for (const r of ['duplicate', 'near_duplicate', 'contaminated', 'over_max_length', 'over_budget', 'not_in_target']) expect(reasons, r).toContain(r);
    // A duplicate in zz_more.jsonl whose first occurrence is in general.openai.jsonl (another unit, another rank).
    expect(drops.some((d) => d.reason === 'duplicate' && d.source === 'data/sft/zz_more.jsonl')).toBe(true);
    // mix repeats the records of a group short of its budget (copies carry `repeat`).
    expect(read(single, 'sft.jsonl')).toMatch(/"repeat":1/);
  });

  it('same summary, JSONL outputs, audits, mix report and pair statistics, byte for byte', () => {
    for (const f of ['summary.json', 'sft.jsonl', 'dpo.jsonl', 'audit.json', 'audit.md', 'audit.html', 'sft.mix.json', 'dpo.mix.json', 'dpo.pair-stats.json']) {
      expect(read(multi, f), f).toBe(read(single, f));
    }
  });

  it('the Curation section has every stage with the counts and examples of one process', () => {
    const md = read(multi, 'audit.md');
    // Stages before the first global one count in map (per unit), the rest in decide.
    for (const s of ['tool_arguments', 'refusals', 'dedup', 'json_mode', 'decontaminate', 'near_dedup']) expect(md).toContain(`#### \`${s}\``);
    // More flagged refusals than examples shown, spread over several byte-range units of one file: which five
    // are shown depends on the order the units are combined in.
    const refusals = md.slice(md.indexOf('#### `refusals`'), md.indexOf('#### `dedup`'));
    const flagged = Number(/, ([\d,]+) flagged/.exec(refusals)![1].replace(/,/g, ''));
    expect(flagged).toBeGreaterThan(5);
    const shown = [...refusals.matchAll(/general\.openai\.jsonl\\\[(\d+)\\\]/g)].map((m) => Number(m[1]));
    expect(shown).toHaveLength(5);
    const plan = JSON.parse(read(multi, '.run/run.json')) as { units: { path: string; line?: number }[] };
    const starts = plan.units.filter((u) => u.path === 'data/sft/general.openai.jsonl').map((u) => (u.line ?? 1) - 1);
    const unitOf = (i: number) => starts.filter((s) => s <= i).length;
    expect(new Set(shown.map(unitOf)).size).toBeGreaterThan(1);
  });

  it('same rejects and drops; the merged files list them in input order', () => {
    for (const f of ['rejects.jsonl', 'dropped.jsonl']) {
      expect(lines(multi, f).sort(), f).toEqual(lines(single, f).sort());
    }
    // One process writes mix drops when the mix decides (after every record was read); merge writes input order.
    const sources = JSON.parse(read(single, 'summary.json')).files.map((f: { path: string }) => f.path) as string[];
    const keys = lines(multi, 'dropped.jsonl').map((l) => JSON.parse(l) as { source: string; index: number });
    const sftKeys = keys.filter((k) => sources.indexOf(k.source) < sources.indexOf('data/preference/explicit.trl.jsonl'));
    const sorted = [...sftKeys].sort((a, b) => sources.indexOf(a.source) - sources.indexOf(b.source) || a.index - b.index);
    expect(sftKeys).toEqual(sorted);
  });

  it('same rows in the same order in the shards (read back with DuckDB), and the same card numbers', async () => {
    for (const config of ['sft', 'dpo']) {
      const a = await shardRows(join(single, 'dataset'), config);
      const b = await shardRows(join(multi, 'dataset'), config);
      expect(b.length, config).toBe(a.length);
      expect(b, config).toEqual(a);
    }
    expect(cardNumbers(read(multi, 'dataset/README.md'))).toBe(cardNumbers(read(single, 'dataset/README.md')));
    expect(read(multi, 'dataset/README.md')).toMatch(/Curation steps, in the order they ran/);
    // The preference dataset's mix (decided in decide, like the SFT one) reaches the card and the audit.
    expect(read(multi, 'dataset/README.md')).toMatch(/## Mixture built to a target \(`dpo`\)/);
    expect(read(multi, 'audit.md')).toMatch(/### Mixture built to budgets · dpo/);
    const manifest = JSON.parse(read(multi, 'dataset/manifest.json')) as { files: { path: string }[] };
    const shards = manifest.files.map((f) => f.path).filter((p) => p.startsWith('data/sft/'));
    expect(shards.length).toBeGreaterThan(1);
    expect(shards.every((p, i) => p === `data/sft/train-${String(i).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.parquet`)).toBe(true);
  });

  it('a rank whose completion marker is lost is redone alone; the output is unchanged', async () => {
    const before = read(multi, 'sft.jsonl');
    rmSync(join(multi, '.run/phases/map/completions/00002'));
    rmSync(join(multi, '.run/data/map/unit-00002'), { recursive: true });
    const again = await Promise.all([0, 1, 2, 3].map((r) => run(dir, ['run', 'pipeline.yaml', '--phase', 'map', '--rank', String(r), '--world-size', '4', '--out', 'multi', '--split-bytes', '40000'])));
    expect(again.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    for (const r of [0, 1, 3]) expect(again[r].stderr).toMatch(/already complete/);
    expect(again[2].stderr).not.toMatch(/already complete/);
    expect(existsSync(join(multi, '.run/data/map/unit-00002'))).toBe(true);
    const merged = await run(dir, ['merge', 'multi/.run']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(read(multi, 'sft.jsonl')).toBe(before);
    expect(read(multi, 'summary.json')).toBe(read(single, 'summary.json'));
  }, 600_000);

  it('refuses a different world size, naming the change (exit 2)', async () => {
    const r = await run(dir, ['run', 'pipeline.yaml', '--phase', 'map', '--rank', '0', '--world-size', '3', '--out', 'multi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/world size changed \(4 → 3 ranks\)/);
    expect(r.stderr).toMatch(/--restart/);
  }, 120_000);
});
