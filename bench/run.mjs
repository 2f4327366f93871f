#!/usr/bin/env node
// `npm run bench`: chatmill's whole pipeline beside its peers, all in one run, ratios printed; writes bench/results.json.
//   1. cold start: `chatmill audit` of a 1-record file as a user runs it (whole process wall time and peak RSS),
//      with an empty compiled-tokenizer cache (first run ever) and then warm (every later run; wall time from runs
//      without the RSS preload);
//   2. corpora: the phrase-bank corpus (bench/corpus.mjs, --records conversations) and a corpus of real sentences
//      from ../shared/realdata (bench/real-corpus.mjs) at --small and --records conversations;
//   3. on each corpus: the pipeline in its own process (bench/pipeline-child.mjs; read, validate, normalize, dedup,
//      tokenize with masks, audit, zstd Parquet export, reports, card), Rust `tokenizers` encodeBatch on the very
//      texts chatmill tokenized, and on the real-sentence corpora the Python user's path (bench/python-peer.py:
//      datasets.map + apply_chat_template with assistant masks, num_proc = cores) when .venv-interop exists, on the
//      records chatmill kept (bench/count-parity.mjs), every record's counts compared with chatmill's; and
//      `chatmill audit` (the CLI as a user runs it) on those same kept records, its token total checked against Rust's;
//   4. on the phrase-bank corpus also DuckDB writing the same rows to zstd Parquet, and our export alone.
// Any token count that differs from a peer's is printed and makes the bench exit 1 (after writing its results).
// Options: --records N (100000), --small N (20000), --phrase N (phrase-bank corpus size, default --records),
// --python-max N (run the Python peer only on corpora of at most N records), --no-python, --no-phrase, --mix (a run with a mix stage),
// --repeats N (3: on corpora of at most --small records, the pipeline, Rust and the audit run N times, alternately,
// and each one's median counts; this host's speed can move 20-40% within minutes, and a single run of each
// measured them in different minutes).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { SEED, writeCorpus } from './corpus.mjs';
import { REAL_SEED, writeRealCorpus } from './real-corpus.mjs';
import { duckdbParquet, renderedTexts, rustEncodeBatch } from './peers.mjs';
import { exportedCounts, pythonOnKeptRecords, writeKeptRecords } from './count-parity.mjs';
import { llama3Dir } from '../dist/src/tokens/source.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const records = Number(arg('--records', '100000'));
const small = Number(arg('--small', '20000'));
const withPython = !process.argv.includes('--no-python') && existsSync('.venv-interop/bin/python');
const withPhrase = !process.argv.includes('--no-phrase');
const phraseRecords = Number(arg('--phrase', String(records)));
const pythonMax = Number(arg('--python-max', 'Infinity'));
const withMix = process.argv.includes('--mix');
const repeats = Number(arg('--repeats', '3'));
const work = resolve('bench', 'work');
mkdirSync(work, { recursive: true });
const rssFile = join(work, 'rss.txt');
/** Every way a count differed from a peer's; the bench exits 1 after writing its results when there is any. */
const countMismatches = [];

const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model;
const machine = { cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
console.log(`machine: ${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, node ${machine.node}, load average ${machine.loadAverage}`);

/** Run node with the RSS preload; whole-process wall time (spawn to exit) and peak RSS. */
function timedNode(args, env = {}) {
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', './bench/rss-at-exit.mjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHATMILL_BENCH_RSS_FILE: rssFile, ...env } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
  return { wallMs, rssBytes: usage.rssBytes, cpuMs: usage.cpuMs, stdout: r.stdout, status: r.status };
}

/**
 * Run node as a user does, without the RSS preload (loading it costs the child ~20 ms of a 0.3 s start): whole-process
 * wall time only. The cold-start wall times come from these runs, its peak RSS from preloaded ones.
 */
function plainNode(args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wallMs };
}

// 1. Cold start.
const one = join(work, 'one-record.jsonl');
writeFileSync(one, `${JSON.stringify({ messages: [{ role: 'user', content: 'Hi there!' }, { role: 'assistant', content: 'Hello! How can I help?' }] })}\n`);
const coldCache = join(work, 'cache-cold');
rmSync(coldCache, { recursive: true, force: true });
const audit1Args = ['dist/src/cli/main.js', 'audit', one, '--out', join(work, 'audit-one')];
const audit1 = (env) => timedNode(audit1Args, env);
const firstEver = audit1({ CHATMILL_CACHE: coldCache });
// A cache file changed less than 2 s ago is not stamped (src/tokens/compiled-stamp.ts), so runs in that window
// checksum all 11 MB; a user's later runs come after it.
await new Promise((r) => setTimeout(r, 2100));
// Five warm runs, the median reported: every later run is warm, and single runs right after the compile (its
// 11 MB of writes still going to disk) varied by 0.1 s.
// Alternated, so a slow minute on the host hits both kinds of run alike.
const warm = [];
const plain = [];
for (let i = 0; i < 5; i++) {
  plain.push(plainNode(audit1Args, { CHATMILL_CACHE: coldCache }));
  warm.push(audit1({ CHATMILL_CACHE: coldCache }));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const coldStart = {
  firstEverSeconds: firstEver.wallMs / 1000,
  firstEverRssMB: firstEver.rssBytes / 2 ** 20,
  seconds: median(plain.map((w) => w.wallMs)) / 1000,
  rssMB: Math.max(...warm.map((w) => w.rssBytes)) / 2 ** 20,
  runs: plain.map((w) => +(w.wallMs / 1000).toFixed(3)),
  secondsWithRssPreload: median(warm.map((w) => w.wallMs)) / 1000,
  help: median([1, 2, 3].map(() => plainNode(['dist/src/cli/main.js', '--help']).wallMs)) / 1000,
};
console.log(`cold start, 1-record audit: ${coldStart.seconds.toFixed(2)} s (median of 5: ${coldStart.runs.join(', ')} s; ${coldStart.secondsWithRssPreload.toFixed(2)} s with the RSS preload), ${coldStart.rssMB.toFixed(0)} MB (first run ever, compiling the tokenizer: ${coldStart.firstEverSeconds.toFixed(2)} s, ${coldStart.firstEverRssMB.toFixed(0)} MB); --help ${coldStart.help.toFixed(2)} s`);

// 2-3. Corpora and peers.
async function corpusFile(kind, n) {
  const path = join(work, kind === 'phrase' ? `corpus-${SEED}-${n}.jsonl` : `real-${REAL_SEED}-${n}.jsonl`);
  if (!existsSync(path)) await (kind === 'phrase' ? writeCorpus(path, n) : writeRealCorpus(path, n));
  return path;
}

function pipeline(path, out, env = {}) {
  const run = timedNode(['bench/pipeline-child.mjs', path, out], env);
  const child = JSON.parse(run.stdout.trim().split('\n').pop());
  return { ...child, wallMs: run.wallMs, peakRssBytes: run.rssBytes, processCpuMs: run.cpuMs };
}

const tokenizerJson = join(llama3Dir(), 'tokenizer.json');
async function python(path, ours, label) {
  const { peer, parity, input } = await pythonOnKeptRecords({ corpus: path, shards: ours.shards, read: ours.read, tokenizerJson, numProc: machine.cpus, work });
  if (parity.equal) {
    console.log(`${label}: token counts equal to the Python path's on every record (${parity.records.chatmill.toLocaleString('en-US')} records chatmill kept of ${ours.read.toLocaleString('en-US')} read, ${parity.tokens.chatmill.toLocaleString('en-US')} tokens, ${parity.responseTokens.chatmill.toLocaleString('en-US')} response tokens)`);
  } else {
    countMismatches.push(`${label}: ${parity.differingRecords} records differ from the Python path; first: ${JSON.stringify(parity.firstDiffering)}`);
    console.log(`${label}: TOKEN COUNTS DIFFER from the Python path on ${parity.differingRecords} records (tokens ${parity.tokens.chatmill} against ${parity.tokens.peer}); first: ${JSON.stringify(parity.firstDiffering)}`);
  }
  return { ...peer, input, parity: { equal: parity.equal, differingRecords: parity.differingRecords, firstDiffering: parity.firstDiffering } };
}

/**
 * `chatmill audit` as a user runs it (the CLI, whole process: read, validate, normalize, tokenize with masks on
 * worker threads, the three audit reports; no dedup, no export), on exactly the records the pipeline kept, so its
 * token total must equal Rust's on the same texts. This is the measure issue 15's figures came from; the
 * pipeline run above (with dedup and Parquet export) is the stricter one.
 */
async function auditCli(path, ours, label, rust) {
  let input = path;
  if (ours.kept !== ours.read) {
    input = join(work, path.replace(/^.*\//, '').replace(/\.jsonl$/, '.kept.jsonl'));
    await writeKeptRecords(path, (await exportedCounts(ours.shards)).map((row) => row.index), input);
  }
  const run = timedNode(['dist/src/cli/main.js', 'audit', input, '--out', join(work, `audit-${label.replace(/\W+/g, '-')}`), '--json']);
  const report = JSON.parse(run.stdout);
  const result = { seconds: run.wallMs / 1000, cpuSeconds: run.cpuMs / 1000, peakRssMB: run.rssBytes / 2 ** 20, records: report.records, tokens: report.tokens, tokensPerSecond: report.tokens / (run.wallMs / 1000), sameTokenCount: report.tokens === rust.tokens };
  console.log(`${label}: chatmill audit ${result.seconds.toFixed(1)} s whole process (${result.cpuSeconds.toFixed(1)} s CPU, peak RSS ${result.peakRssMB.toFixed(0)} MB), ${(rust.ms / 1000 / result.seconds).toFixed(2)}× Rust`);
  if (!result.sameTokenCount) {
    countMismatches.push(`${label}: chatmill audit counted ${report.tokens} tokens on the kept records, Rust encodeBatch ${rust.tokens}`);
    console.log(`${label}: TOKEN TOTALS DIFFER: audit ${report.tokens}, Rust ${rust.tokens}`);
  }
  return result;
}

/** The run whose key is the median (the lower middle of an even count). */
const medianBy = (xs, key) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor((xs.length - 1) / 2)];

async function measure(kind, n) {
  const path = await corpusFile(kind, n);
  const label = `${kind === 'phrase' ? 'phrase-bank' : 'real-sentence'} ${n.toLocaleString('en-US')}`;
  const reps = n <= small ? repeats : 1;
  const pipelines = [pipeline(path, join(work, `out-${kind}-${n}`))];
  const first = pipelines[0];
  const texts = await renderedTexts(first.shards);
  const rustRuns = [await rustEncodeBatch(texts)];
  const auditRuns = [await auditCli(path, first, label, rustRuns[0])];
  for (let i = 1; i < reps; i++) {
    pipelines.push(pipeline(path, join(work, `out-${kind}-${n}`)));
    rustRuns.push(await rustEncodeBatch(texts));
    auditRuns.push(await auditCli(path, first, label, rustRuns[i]));
  }
  // Times from the median run; peak RSS is the highest of all runs.
  const ours = { ...medianBy(pipelines, (p) => p.wallMs), peakRssBytes: Math.max(...pipelines.map((p) => p.peakRssBytes)) };
  const rust = medianBy(rustRuns, (p) => p.ms);
  const audit = { ...medianBy(auditRuns, (p) => p.seconds), peakRssMB: Math.max(...auditRuns.map((a) => a.peakRssMB)) };
  if (reps > 1) {
    const list = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`${label}: ${reps} runs each, alternately; medians count. pipeline ${list(pipelines.map((p) => p.wallMs / 1000))} s; Rust ${list(rustRuns.map((p) => p.ms / 1000))} s; audit ${list(auditRuns.map((p) => p.seconds))} s`);
  }
  const tokensPerSecond = ours.tokens / (ours.wallMs / 1000);
  console.log(`${label}: chatmill ${(ours.wallMs / 1000).toFixed(1)} s whole process (${(ours.totalMs / 1000).toFixed(1)} s in-process), ${ours.tokens.toLocaleString('en-US')} tokens, ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s, peak RSS ${(ours.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  console.log(`${label}: rust encodeBatch ${(rust.ms / 1000).toFixed(1)} s`);
  if (rustRuns.some((r) => r.tokens !== ours.tokens) || pipelines.some((p) => p.tokens !== ours.tokens)) {
    countMismatches.push(`${label}: Rust encodeBatch counted ${rust.tokens} tokens on the texts chatmill tokenized, chatmill ${ours.tokens}`);
    console.log(`${label}: TOKEN TOTALS DIFFER: Rust ${rust.tokens}, chatmill ${ours.tokens}`);
  }
  const py = kind === 'real' && withPython && n <= pythonMax ? await python(path, ours, label) : undefined;
  if (py) console.log(`${label}: python datasets.map ${py.mapSeconds.toFixed(1)} s (+ load ${py.loadSeconds.toFixed(1)} s; script ${py.scriptSeconds.toFixed(1)} s)`);
  const r = {
    corpus: { kind, records: n, bytes: statSync(path).size, seed: kind === 'phrase' ? SEED : REAL_SEED },
    chatmill: {
      seconds: ours.wallMs / 1000,
      inProcessSeconds: ours.totalMs / 1000,
      tokens: ours.tokens,
      tokensPerSecond,
      read: ours.read, kept: ours.kept, rejected: ours.rejected, dropped: ours.dropped,
      peakRssMB: ours.peakRssBytes / 2 ** 20,
      cpuSeconds: ours.processCpuMs / 1000,
      stageSeconds: Object.fromEntries(Object.entries({ 'setup (tokenizer load)': ours.setupMs, ...ours.stageSelfMs, 'audit reports + card': ours.reportsMs }).map(([k, v]) => [k, +(v / 1000).toFixed(3)])),
    },
    audit: { ...audit, runs: auditRuns.map((a) => +a.seconds.toFixed(3)) },
    runs: { pipeline: pipelines.map((p) => +(p.wallMs / 1000).toFixed(3)), rust: rustRuns.map((r) => +(r.ms / 1000).toFixed(3)) },
    rust: { seconds: rust.ms / 1000, cpuSeconds: rust.cpuMs / 1000, tokens: rust.tokens, tokensPerSecond: rust.tokens / (rust.ms / 1000), sameTokenCount: rust.tokens === ours.tokens },
    ...(py ? { python: { ...py, seconds: py.loadSeconds + py.mapSeconds, tokensPerSecond: py.tokens / (py.loadSeconds + py.mapSeconds), sameTokenCount: py.tokens === ours.tokens, sameResponseTokens: py.responseTokens === ours.responseTokens, samePerRecordCounts: py.parity.equal } } : {}),
  };
  // Wall-time ratios are what a user sees; on a shared, loaded machine the CPU-time ratios (tokens per CPU second,
  // whole process for chatmill, encodeBatch's threads for Rust, load + map with its workers for Python) move less.
  r.ratios = {
    vsRust: r.chatmill.tokensPerSecond / r.rust.tokensPerSecond,
    ...(py ? { vsPython: r.chatmill.tokensPerSecond / r.python.tokensPerSecond } : {}),
    auditVsRust: audit.tokensPerSecond / r.rust.tokensPerSecond,
    ...(py ? { auditVsPython: audit.tokensPerSecond / r.python.tokensPerSecond } : {}),
    cpuVsRust: r.rust.cpuSeconds / r.chatmill.cpuSeconds,
    ...(py ? { cpuVsPython: py.cpuSeconds / r.chatmill.cpuSeconds } : {}),
  };
  return { r, ours };
}

const runs = {};
const real = await measure('real', small);
runs[`real-${small}`] = real.r;
const realBig = await measure('real', records);
runs[`real-${records}`] = realBig.r;
let phrase;
if (withPhrase) {
  phrase = await measure('phrase', phraseRecords);
  runs[`phrase-${phraseRecords}`] = phrase.r;
}

// 4. Export peers on the phrase-bank corpus (the rows with tool calls and CJK).
let exportPeers;
if (phrase) {
  const duck = await duckdbParquet(phrase.ours.shards, join(work, 'duckdb.parquet'));
  const alone = JSON.parse(execFileSync(process.execPath, ['bench/export-child.mjs', join(work, 'out-export'), ...phrase.ours.shards], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
  const exportMs = phrase.ours.stageSelfMs['export:sft'] + phrase.ours.stageSelfMs['export:sft (finish)'];
  const ourBytes = phrase.ours.shards.reduce((n, f) => n + statSync(f).size, 0);
  exportPeers = {
    chatmillExportRowsPerSecond: phrase.ours.exportRows / (exportMs / 1000),
    chatmillExportAloneRowsPerSecond: alone.rows / (alone.ms / 1000),
    chatmillParquetBytes: ourBytes,
    duckdb: { seconds: duck.ms / 1000, rows: duck.rows, rowsPerSecond: duck.rows / (duck.ms / 1000), parquetBytes: duck.bytes },
  };
  exportPeers.ratios = {
    exportRowsPerSecondVsDuckdb: exportPeers.chatmillExportRowsPerSecond / exportPeers.duckdb.rowsPerSecond,
    exportAloneRowsPerSecondVsDuckdb: exportPeers.chatmillExportAloneRowsPerSecond / exportPeers.duckdb.rowsPerSecond,
    parquetSizeVsDuckdb: ourBytes / duck.bytes,
  };
}
let mixed;
if (withMix) {
  const m = pipeline(await corpusFile('phrase', phraseRecords), join(work, 'out-mix'), { CHATMILL_BENCH_MIX: '1' });
  mixed = { seconds: m.stageSelfMs.mix / 1000, shareOfPipeline: m.stageSelfMs.mix / m.totalMs, pipelineSeconds: m.totalMs / 1000, peakRssMB: m.peakRssBytes / 2 ** 20, kept: m.kept, dropped: m.dropped, exportRows: m.exportRows };
}

const peakRssMB = Math.max(...Object.values(runs).map((x) => x.chatmill.peakRssMB));
const result = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine,
  coldStart,
  runs,
  countsMatch: countMismatches.length === 0,
  exportPeers,
  mix: mixed,
};
const rr = (k) => runs[k]?.ratios;
result.targets = {
  '1-record audit ≤ 0.3 s': coldStart.seconds <= 0.3,
  '1-record audit ≤ 150 MB': coldStart.rssMB <= 150,
  [`real ${small}: ≥ 3× Rust`]: rr(`real-${small}`).vsRust >= 3,
  [`real ${records}: ≥ 3× Rust`]: rr(`real-${records}`).vsRust >= 3,
  [`real ${small}, chatmill audit: ≥ 3× Rust`]: rr(`real-${small}`).auditVsRust >= 3,
  [`real ${records}, chatmill audit: ≥ 3× Rust`]: rr(`real-${records}`).auditVsRust >= 3,
  ...Object.fromEntries(Object.entries(runs).filter(([, x]) => x.python).map(([k, x]) => [`${k}, chatmill audit: ≥ 8× Python`, x.ratios.auditVsPython >= 8])),
  ...Object.fromEntries(Object.entries(runs).filter(([, x]) => x.python).map(([k, x]) => [`${k}: ≥ 8× Python`, x.ratios.vsPython >= 8])),
  'peak RSS ≤ 300 MB at every size': peakRssMB <= 300,
  ...(exportPeers ? { 'export rows/s ≥ 0.8× DuckDB': exportPeers.ratios.exportRowsPerSecondVsDuckdb >= 0.8, 'Parquet ≤ 1.15× DuckDB': exportPeers.ratios.parquetSizeVsDuckdb <= 1.15 } : {}),
};
writeFileSync(join('bench', 'results.json'), `${JSON.stringify(result, null, 2)}\n`);

const f = (n, d = 0) => (n === undefined ? '' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
console.log(`\n| corpus | chatmill s (whole process) | tokens | chatmill tokens/s | Rust encodeBatch s | vs Rust (CPU) | Python load+map s | vs Python (CPU) | peak RSS MB |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
for (const [k, x] of Object.entries(runs)) {
  const py = x.python ? [f(x.python.seconds, 1), `${f(x.ratios.vsPython, 2)}× (${f(x.ratios.cpuVsPython, 2)}×)`] : ['-', '-'];
  console.log(`| ${k} | ${f(x.chatmill.seconds, 1)} | ${f(x.chatmill.tokens)} | ${f(x.chatmill.tokensPerSecond)} | ${f(x.rust.seconds, 1)} | ${f(x.ratios.vsRust, 2)}× (${f(x.ratios.cpuVsRust, 2)}×) | ${py[0]} | ${py[1]} | ${f(x.chatmill.peakRssMB)} |`);
}
console.log(`\n| corpus, \`chatmill audit\` (CLI) on the kept records | seconds (whole process) | CPU s | tokens/s | vs Rust | vs Python | peak RSS MB |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|`);
for (const [k, x] of Object.entries(runs)) console.log(`| ${k} | ${f(x.audit.seconds, 2)} | ${f(x.audit.cpuSeconds, 1)} | ${f(x.audit.tokensPerSecond)} | ${f(x.ratios.auditVsRust, 2)}× | ${x.python ? `${f(x.ratios.auditVsPython, 2)}×` : '-'} | ${f(x.audit.peakRssMB)} |`);
console.log(`\ncold start (1-record audit): ${f(coldStart.seconds, 2)} s, ${f(coldStart.rssMB)} MB; first run ever ${f(coldStart.firstEverSeconds, 2)} s`);
if (exportPeers) console.log(`export: ${f(exportPeers.chatmillExportRowsPerSecond)} rows/s in the pipeline, ${f(exportPeers.chatmillExportAloneRowsPerSecond)} alone, DuckDB ${f(exportPeers.duckdb.rowsPerSecond)}; Parquet ${f(exportPeers.ratios.parquetSizeVsDuckdb, 2)}× DuckDB's size`);
if (mixed) console.log(`mix stage (hermes3): ${f(mixed.seconds, 2)} s = ${f(mixed.shareOfPipeline * 100, 1)}% of ${f(mixed.pipelineSeconds, 1)} s, peak RSS ${f(mixed.peakRssMB)} MB`);
for (const [k, x] of Object.entries(runs)) console.log(`stage self time (s, main thread), ${k}: ${JSON.stringify(x.chatmill.stageSeconds)}`);
for (const [k, ok] of Object.entries(result.targets)) console.log(`${ok ? 'met   ' : 'MISSED'} ${k}`);
for (const [k, x] of Object.entries(runs)) {
  const python = x.python ? `; Python path (on the records chatmill kept): ${x.python.samePerRecordCounts ? 'equal on every record' : 'DIFFERENT'}` : '';
  console.log(`token counts, ${k}: Rust encodeBatch total ${x.rust.sameTokenCount ? 'equal' : 'DIFFERENT'}; chatmill audit total ${x.audit.sameTokenCount ? 'equal' : 'DIFFERENT'}${python}`);
}
if (countMismatches.length) {
  console.error(`\nFAILED: chatmill's token counts are not the peers' (results written to bench/results.json anyway):\n${countMismatches.join('\n')}`);
  process.exitCode = 1;
}
