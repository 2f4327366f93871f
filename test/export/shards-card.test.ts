import { describe, expect, test, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runExport, type ExportSummary } from '../../src/export/run-export.js';
import { parseSize } from '../../src/export/size.js';
import type { Audit } from '../../schemas/audit.js';
import { DPO, manySft } from './records.js';
import { duckRows } from './helpers.js';

const N = 600;
const bucket = (records: number, i: number, r: number) => ({ records, tokens: i + r, instruction_tokens: i, response_tokens: r });
const audit: Audit = {
  tokenizer: { name: 'llama-3.2', vocab_size: 128256, sha256: 'ab'.repeat(32) },
  template: 'chatml',
  records: N,
  tokens: 9000,
  instruction_tokens: 6000,
  response_tokens: 3000,
  response_share: 1 / 3,
  over_max_length: 0,
  packing: { seq_len: 4096, packs: 3, efficiency: 0.73 },
  by_source: { 'bulk.jsonl': bucket(N, 6000, 3000) },
  by_category: { 'cat-1': bucket(200, 2000, 1000), 'cat-2': bucket(200, 2000, 1000), '<none> & "co"': bucket(200, 2000, 1000) },
  length_histogram: [{ min: 0, max: 64, records: N }],
};

describe('chatmill export: sharding, manifest, card', () => {
  const work = mkdtempSync(join(tmpdir(), 'chatmill-export-run-'));
  const dir = join(work, 'out');
  const sftFile = join(work, 'sft.jsonl');
  const dpoFile = join(work, 'dpo.jsonl');
  const auditFile = join(work, 'audit.json');
  let summary: ExportSummary;
  const rejects: string[] = [];

  beforeAll(async () => {
    // One bad line among the good ones: reported, not written, counted.
    writeFileSync(sftFile, `${manySft(N).map((r) => JSON.stringify(r)).join('\n')}\n{"messages": "not a list"}\n`);
    writeFileSync(dpoFile, DPO.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(auditFile, JSON.stringify(audit));
    summary = await runExport({
      inputs: [sftFile, dpoFile],
      dir,
      split: 'train',
      maxShardSize: '20KB',
      compression: 'zstd',
      auditPath: auditFile,
      card: { repoId: 'acme/hermes-mix', title: 'Hermes mix' },
      ingest: { onReject: (r) => void rejects.push(`${r.ref.line}:${r.reason}`) },
    });
  });

  test('sizes parse like datasets spells them', () => {
    expect([parseSize('500MB'), parseSize('1GB'), parseSize('100KB'), parseSize('64MiB'), parseSize('12')]).toEqual([
      500_000_000, 1_000_000_000, 100_000, 67_108_864, 12,
    ]);
    expect([parseSize('10 parsecs'), parseSize('-1MB'), parseSize('0')]).toEqual([null, null, null]);
  });

  test('a tiny max shard size gives several consistently named shards and keeps every row', async () => {
    // The bad line is read as `convert` reads it: no SFT shape has a `messages` that is not a list.
    expect(rejects).toEqual([`${N + 1}:unknown_format`]);
    expect(summary.summary).toMatchObject({ read: N + 1 + DPO.length, kept: N + DPO.length, rejected: 1 });
    const names = readdirSync(join(dir, 'data', 'sft')).sort();
    expect(names.length).toBeGreaterThan(3);
    const n = String(names.length).padStart(5, '0');
    expect(names).toEqual(names.map((_, i) => `train-${String(i).padStart(5, '0')}-of-${n}.parquet`));
    const [{ c }] = await duckRows(`SELECT count(*) AS c FROM read_parquet('${dir}/data/sft/*.parquet')`);
    expect(c).toBe(BigInt(N));
    const ids = await duckRows(`SELECT count(DISTINCT id) AS d FROM read_parquet('${dir}/data/sft/*.parquet')`);
    expect(ids[0].d).toBe(BigInt(N));
    // per-shard row counts in the summary agree with what DuckDB counts per file
    const perFile = await duckRows(
      `SELECT parse_filename(filename) AS f, count(*) AS c FROM read_parquet('${dir}/data/sft/*.parquet', filename=true) GROUP BY 1 ORDER BY 1`,
    );
    const sft = summary.configs.find((x) => x.config === 'sft')!;
    expect(perFile.map((r) => [r.f, Number(r.c)])).toEqual(sft.files.map((f) => [f.path.split('/').pop(), f.rows]));
    expect(readdirSync(join(dir, 'data', 'dpo'))).toEqual(['train-00000-of-00001.parquet']);
  });

  test('manifest sha256 and size match the bytes on disk', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const paths = manifest.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('README.md');
    expect(paths).toContain('mixture.svg');
    const shards = readdirSync(join(dir, 'data', 'sft')).map((f) => `data/sft/${f}`);
    for (const s of shards) expect(paths).toContain(s);
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.path));
      expect(f.size).toBe(bytes.length);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(manifest.configs.find((c: { config: string }) => c.config === 'sft').num_rows).toBe(N);
  });

  test('card front matter parses and matches the files', () => {
    const text = readFileSync(join(dir, 'README.md'), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
    expect(m).not.toBeNull();
    const meta = parse(m![1]);
    expect(meta.configs).toEqual([
      { config_name: 'sft', default: true, data_files: [{ split: 'train', path: 'data/sft/train-?????-of-?????.parquet' }] },
      { config_name: 'dpo', data_files: [{ split: 'train', path: 'data/dpo/train-?????-of-?????.parquet' }] },
    ]);
    expect(meta.size_categories).toEqual(['n<1K']);
    expect(meta.task_categories).toEqual(['text-generation']);
    const info = Object.fromEntries(meta.dataset_info.map((d: { config_name: string }) => [d.config_name, d]));
    expect(info.sft.splits).toEqual([{ name: 'train', num_examples: N, num_bytes: expect.any(Number) }]);
    expect(info.dpo.splits[0].num_examples).toBe(DPO.length);
    // SFT turns are JSON (structured tool calls, the default tool format): datasets' `list: json`.
    expect(info.sft.features).toContainEqual({ name: 'messages', list: 'json' });
    expect(info.dpo.features).toContainEqual({ name: 'margin', dtype: 'float64' });
    const sftSizes = readdirSync(join(dir, 'data', 'sft')).reduce((s, f) => s + readFileSync(join(dir, 'data', 'sft', f)).length, 0);
    expect(info.sft.download_size).toBe(sftSizes);
    // the body: chart reference, mixture tables, usage and provenance
    expect(text).toContain('![Instruction vs response tokens by category and by source](mixture.svg)');
    expect(text).toContain('| cat-1 | 200 | 2,000 | 1,000 | 33.3% |');
    expect(text).toContain('\\<none\\> & "co"');
    expect(text).toContain('load_dataset("acme/hermes-mix", "sft", split="train")');
    expect(text).toContain('field_messages: messages');
    expect(text).toContain(createHash('sha256').update(readFileSync(sftFile)).digest('hex'));
  });

  test('the chart is well-formed SVG with escaped labels', () => {
    const svg = readFileSync(join(dir, 'mixture.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('&lt;none&gt; &amp; &quot;co&quot;');
    expect(svg.match(/<rect /g)!.length).toBe(1 + 2 + 2 * 4); // background, legend, 2 bars per bucket
  });
});
