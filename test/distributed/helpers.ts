import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROOT, chatmill, type CliResult } from '../helpers/cli.js';

/** Every process of these tests tokenizes on its own thread: six helpers share two cores. */
export const ENV = { CHATMILL_WORKERS: '1' };

export const run = (cwd: string, args: string[]): Promise<CliResult> => chatmill(args, { cwd, env: ENV });

/**
 * A copy of the bundled data plus what makes the global stages work across ranks: exact duplicates of
 * records that live in another file (so in another work unit and rank), near-duplicates, and a benchmark
 * file holding the user turns of three records (contamination).
 */
export function makeCorpus(dir: string): void {
  mkdirSync(join(dir, 'data'), { recursive: true });
  cpSync(join(ROOT, 'data/sft'), join(dir, 'data/sft'), { recursive: true });
  cpSync(join(ROOT, 'data/preference'), join(dir, 'data/preference'), { recursive: true });
  const general = readFileSync(join(ROOT, 'data/sft/general.openai.jsonl'), 'utf8').split('\n').filter(Boolean);
  const lines: string[] = [];
  const topics = ['rivers of Europe', 'growing tomatoes', 'the history of paper', 'how bridges carry load', 'why the sky is blue', 'learning to juggle'];
  for (const [t, topic] of topics.entries()) {
    const body = `Here is a longer explanation about ${topic}. It covers the basics first, then the details that people usually miss, and ends with a short summary of the main points so that the reader can remember them later on.`;
    for (let v = 0; v < 3; v++) {
      // Variants differ in one word at the end: near-duplicates, not exact ones.
      lines.push(JSON.stringify({ messages: [{ role: 'user', content: `Explain ${topic} to me in plain words.` }, { role: 'assistant', content: `${body} Variant ${['one', 'two', 'three'][v]}.` }], category: t % 2 ? 'general' : 'creative' }));
    }
  }
  // Exact copies of records of general.openai.jsonl: duplicates whose first occurrence another rank holds.
  lines.push(general[1], general[5], general[40]);
  writeFileSync(join(dir, 'data/sft/zz_more.jsonl'), `${lines.join('\n')}\n`);
  const bench = [general[10], general[20], general[30]].map((l, i) => ({ id: `b${i}`, question: (JSON.parse(l).messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content }));
  mkdirSync(join(dir, 'bench'), { recursive: true });
  writeFileSync(join(dir, 'bench/items.jsonl'), bench.map((b) => JSON.stringify(b)).join('\n') + '\n');
}

export const PIPELINE = (out: string) => `name: scale-test
out: ${out}
datasets:
  sft:
    kind: sft
    inputs:
      - { path: data/sft/general.openai.jsonl, category: general }
      - { path: data/sft/general.crlf.jsonl, category: general }
      - { path: data/sft/domain_expert.sharegpt.json, category: domain_expert }
      - { path: data/sft/math.alpaca.jsonl, category: math }
      - { path: data/sft/roleplay.chatml.jsonl, category: roleplay }
      - { path: data/sft/coding.parts.jsonl, category: coding }
      - { path: data/sft/tool_use.hermes.jsonl, category: tool_use }
      - { path: data/sft/json_mode.openai.jsonl.gz, category: json_mode }
      - path: data/sft/content_generation.custom.jsonl
        category: content_generation
        columns: { messages: dialog, role: speaker, content: text }
        roles: { human: user, bot: assistant }
      - { path: data/sft/steering.sharegpt.jsonl }
      - { path: data/sft/zz_more.jsonl }
    stages:
      - validate: {}
      - tool_arguments: {}
      - refusals: {}
      - dedup: {}
      - json_mode: {}
      - decontaminate: { benchmarks: [bench/items.jsonl] }
      - near_dedup: { threshold: 0.7 }
      - tokenize: { tokenizer: hermes3, max_length: 200, over_length: drop }
      - mix: { target: { general: 20000, math: 8000, coding: 200000 }, by: category, count: all, max_epochs: 3, seed: 42, within: random, others: drop }
      - audit: {}
      - write: { path: sft.jsonl }
      - export: { split: train, max_shard_size: 100kB, compression: zstd }
  dpo:
    kind: preference
    inputs:
      - { path: data/preference/explicit.trl.jsonl, category: explicit }
      - { path: data/preference/hh.transcripts.jsonl, category: hh }
      - { path: data/preference/implicit.trl.jsonl, category: implicit }
      - { path: data/preference/kto.jsonl }
      - { path: data/preference/ratings.ultrafeedback.jsonl, category: ratings }
    stages:
      - tokenize: { tokenizer: hermes3 }
      - pairs: { strategy: best-worst, min_margin: 0, seed: 42 }
      - mix: { target: { explicit: 60, hh: 150, ratings: 40 }, by: category, count: pairs, max_epochs: 2, seed: 7, within: random, others: drop }
      - write: { path: dpo.jsonl }
      - export: { split: train, compression: zstd }
card: { title: Scale test, license: apache-2.0 }
`;

/** Run every phase of a run over `world` ranks as separate processes (map and apply ranks at once), then merge. */
export async function runRanks(cwd: string, pipeline: string, world: number, out: string, extra: string[] = []): Promise<CliResult[]> {
  const results: CliResult[] = [];
  const phase = async (p: string, ranks: number[], w: number) => {
    const r = await Promise.all(ranks.map((rank) => run(cwd, ['run', pipeline, '--phase', p, '--rank', String(rank), '--world-size', String(w), '--out', out, ...extra])));
    results.push(...r);
    for (const x of r) if (x.code !== 0) throw new Error(`${p} failed (${x.code}): ${x.stderr}`);
  };
  const all = [...Array(world).keys()];
  await phase('map', all, world);
  await phase('decide', [0], 1);
  await phase('apply', all, world);
  const m = await run(cwd, ['merge', join(out, '.run')]);
  if (m.code !== 0) throw new Error(`merge failed (${m.code}): ${m.stderr}`);
  results.push(m);
  return results;
}

/** Every row of a dataset config's shards, in shard order and row order, read back by DuckDB. */
export async function shardRows(datasetDir: string, config: string): Promise<unknown[]> {
  const folder = join(datasetDir, 'data', config);
  const files = readdirSync(folder).filter((f) => f.endsWith('.parquet')).sort();
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const rows: unknown[] = [];
    for (const f of files) {
      const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${join(folder, f).replace(/'/g, "''")}')`);
      rows.push(...(reader.getRowObjectsJson() as unknown[]));
    }
    return rows;
  } finally {
    conn.closeSync();
  }
}

/** The card without what depends on how rows are cut into files (shard count, compressed size, per-shard byte rounding). */
/** A file of an output folder, as text. */
export const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');
/** Its non-empty lines. */
export const lines = (dir: string, f: string): string[] => read(dir, f).split('\n').filter(Boolean);

export const cardNumbers = (card: string): string =>
  card
    .split('\n')
    .filter((l) => !/^\s*(num_bytes|download_size|dataset_size):/.test(l))
    .map((l) => l.replace(/^(\| `[^`]+` \| \w+ \| \w+ \| [\d,]+ \|) \d+ \|/, '$1 N |'))
    .join('\n');
