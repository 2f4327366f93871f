#!/usr/bin/env node
// `npm run bench`: chatmill's whole pipeline on a deterministic synthetic Hermes-like corpus, beside the Rust
// tokenizer's encodeBatch on the same rendered texts and DuckDB writing the same rows to zstd Parquet.
// Writes bench/results.json. Options: --records N (default 100000), --no-flat (skip the 1/4-size RSS run),
// --no-mix (skip the run with a `mix: { target: hermes3 }` stage).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { SEED, writeCorpus } from './corpus.mjs';
import { duckdbParquet, renderedTexts, rustEncodeBatch } from './peers.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const records = Number(arg('--records', '100000'));
const flat = !process.argv.includes('--no-flat');
const withMix = !process.argv.includes('--no-mix');
const work = join('bench', 'work');
mkdirSync(work, { recursive: true });

async function corpus(n) {
  const path = join(work, `corpus-${SEED}-${n}.jsonl`);
  if (!existsSync(path)) await writeCorpus(path, n);
  return path;
}

function runChild(path, out, env = {}) {
  const text = execFileSync(process.execPath, ['bench/pipeline-child.mjs', path, out], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return JSON.parse(text.trim().split('\n').pop());
}

const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model;
const machine = { cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
console.log(`machine: ${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, node ${machine.node}`);

const corpusPath = await corpus(records);
console.log(`corpus: ${records.toLocaleString('en-US')} conversations, ${(statSync(corpusPath).size / 1e6).toFixed(0)} MB (seed ${SEED})`);
const ours = runChild(corpusPath, join(work, 'out'));
console.log(`chatmill pipeline: ${(ours.totalMs / 1000).toFixed(1)} s`);
let quarter;
if (flat) {
  quarter = runChild(await corpus(Math.round(records / 4)), join(work, 'out-quarter'));
  console.log(`chatmill pipeline on 1/4 of the corpus: ${(quarter.totalMs / 1000).toFixed(1)} s`);
}
let mixed;
if (withMix) {
  mixed = runChild(corpusPath, join(work, 'out-mix'), { CHATMILL_BENCH_MIX: '1' });
  console.log(`chatmill pipeline with mix (hermes3): ${(mixed.totalMs / 1000).toFixed(1)} s, mix stage ${(mixed.stageSelfMs.mix / 1000).toFixed(2)} s`);
}
const texts = await renderedTexts(ours.shards);
const rustRun = await rustEncodeBatch(texts);
console.log(`rust encodeBatch: ${(rustRun.ms / 1000).toFixed(1)} s`);
const duck = await duckdbParquet(ours.shards, join(work, 'duckdb.parquet'));
console.log(`duckdb parquet: ${(duck.ms / 1000).toFixed(1)} s`);
const alone = JSON.parse(execFileSync(process.execPath, ['bench/export-child.mjs', join(work, 'out-export'), ...ours.shards], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
console.log(`chatmill export alone: ${(alone.ms / 1000).toFixed(1)} s`);

const ourBytes = ours.shards.reduce((n, f) => n + statSync(f).size, 0);
const exportMs = ours.stageSelfMs['export:sft'] + ours.stageSelfMs['export:sft (finish)'];
const r = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine,
  corpus: { seed: SEED, records, bytes: statSync(corpusPath).size },
  chatmill: {
    seconds: ours.totalMs / 1000,
    tokens: ours.tokens,
    tokensPerSecond: ours.tokens / (ours.totalMs / 1000),
    recordsPerSecond: ours.read / (ours.totalMs / 1000),
    read: ours.read, kept: ours.kept, rejected: ours.rejected, dropped: ours.dropped,
    peakRssMB: ours.peakRssBytes / 2 ** 20,
    stageSeconds: Object.fromEntries(Object.entries({ 'setup (tokenizer load)': ours.setupMs, ...ours.stageSelfMs, 'audit reports + card': ours.reportsMs }).map(([k, v]) => [k, +(v / 1000).toFixed(3)])),
    exportRowsPerSecond: ours.exportRows / (exportMs / 1000),
    // The same rows through the export stage alone (bench/export-child.mjs), as DuckDB runs alone.
    exportAloneRowsPerSecond: alone.rows / (alone.ms / 1000),
    parquetBytes: ourBytes,
  },
  rust: { seconds: rustRun.ms / 1000, tokens: rustRun.tokens, tokensPerSecond: rustRun.tokens / (rustRun.ms / 1000), sameTokenCount: rustRun.tokens === ours.tokens },
  duckdb: { seconds: duck.ms / 1000, rows: duck.rows, rowsPerSecond: duck.rows / (duck.ms / 1000), parquetBytes: duck.bytes },
  mix: mixed && {
    seconds: mixed.stageSelfMs.mix / 1000,
    shareOfPipeline: mixed.stageSelfMs.mix / mixed.totalMs,
    pipelineSeconds: mixed.totalMs / 1000,
    peakRssMB: mixed.peakRssBytes / 2 ** 20,
    kept: mixed.kept,
    dropped: mixed.dropped,
    exportRows: mixed.exportRows,
  },
  quarter: quarter && { records: Math.round(records / 4), peakRssMB: quarter.peakRssBytes / 2 ** 20, seconds: quarter.totalMs / 1000 },
};
r.ratios = {
  tokensPerSecondVsRust: r.chatmill.tokensPerSecond / r.rust.tokensPerSecond,
  exportRowsPerSecondVsDuckdb: r.chatmill.exportRowsPerSecond / r.duckdb.rowsPerSecond,
  exportAloneRowsPerSecondVsDuckdb: r.chatmill.exportAloneRowsPerSecond / r.duckdb.rowsPerSecond,
  parquetSizeVsDuckdb: r.chatmill.parquetBytes / r.duckdb.parquetBytes,
  ...(quarter ? { peakRssFullVsQuarter: r.chatmill.peakRssMB / r.quarter.peakRssMB } : {}),
};
r.targets = {
  'tokens/s ≥ 1.25× rust': r.ratios.tokensPerSecondVsRust >= 1.25,
  'export rows/s ≥ 0.8× duckdb': r.ratios.exportRowsPerSecondVsDuckdb >= 0.8,
  'parquet ≤ 1.15× duckdb': r.ratios.parquetSizeVsDuckdb <= 1.15,
  'peak RSS < 1 GB': r.chatmill.peakRssMB < 1024,
  ...(quarter ? { 'peak RSS 4× input ≤ +10%': r.ratios.peakRssFullVsQuarter <= 1.1 } : {}),
  ...(mixed ? { 'mix stage ≤ 10% of the pipeline': r.mix.shareOfPipeline <= 0.1, 'peak RSS with mix < 1 GB': r.mix.peakRssMB < 1024 } : {}),
};
writeFileSync(join('bench', 'results.json'), `${JSON.stringify(r, null, 2)}\n`);

const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`\n| | chatmill (whole pipeline) | Rust tokenizers encodeBatch | DuckDB → Parquet zstd |`);
console.log(`|---|---|---|---|`);
console.log(`| seconds | ${f(r.chatmill.seconds, 1)} | ${f(r.rust.seconds, 1)} | ${f(r.duckdb.seconds, 1)} |`);
console.log(`| tokens/s | ${f(r.chatmill.tokensPerSecond)} | ${f(r.rust.tokensPerSecond)} | |`);
console.log(`| records/s | ${f(r.chatmill.recordsPerSecond)} | | ${f(r.duckdb.rowsPerSecond)} (rows) |`);
console.log(`| export rows/s (in the pipeline) | ${f(r.chatmill.exportRowsPerSecond)} | | ${f(r.duckdb.rowsPerSecond)} |`);
console.log(`| export rows/s (export alone) | ${f(r.chatmill.exportAloneRowsPerSecond)} | | ${f(r.duckdb.rowsPerSecond)} |`);
console.log(`| Parquet MB | ${f(r.chatmill.parquetBytes / 1e6, 1)} | | ${f(r.duckdb.parquetBytes / 1e6, 1)} |`);
console.log(`| peak RSS MB | ${f(r.chatmill.peakRssMB)}${quarter ? ` (1/4 input: ${f(r.quarter.peakRssMB)})` : ''} | | |`);
if (mixed) console.log(`| mix stage (hermes3) | ${f(r.mix.seconds, 2)} s = ${f(r.mix.shareOfPipeline * 100, 1)}% of ${f(r.mix.pipelineSeconds, 1)} s, peak RSS ${f(r.mix.peakRssMB)} MB, ${f(r.mix.exportRows)} rows exported | | |`);
console.log(`\nstage self time (s, main thread): ${JSON.stringify(r.chatmill.stageSeconds)}`);
console.log(`ratios: ${JSON.stringify(r.ratios)}`);
for (const [k, ok] of Object.entries(r.targets)) console.log(`${ok ? 'met   ' : 'MISSED'} ${k}`);
if (!r.rust.sameTokenCount) console.log(`note: token totals differ (chatmill ${r.chatmill.tokens}, rust ${r.rust.tokens})`);
