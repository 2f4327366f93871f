#!/usr/bin/env node
// Peak RSS of the whole default pipeline (bench/pipeline-child.mjs: read, validate, normalize, dedup, tokenize on
// worker threads, audit, zstd Parquet export, reports, card) at several sizes, each run in its own process. Only
// chatmill runs: no peers (bench/run.mjs has those).
//   node bench/memory.mjs [--records 20000,100000] [--corpora real,phrase]
// For each run: wall time, the process's own peak RSS (VmHWM; bench/peak-rss.mjs) and, sampled on the main thread
// at that peak, its heap and ArrayBuffer memory (bench/memory-sampler.mjs). Worker threads count in RSS only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SEED, writeCorpus } from './corpus.mjs';
import { REAL_SEED, writeRealCorpus } from './real-corpus.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const sizes = arg('--records', '20000,100000').split(',').map(Number);
const corpora = arg('--corpora', 'real,phrase').split(',');
const work = resolve('bench', 'work');
mkdirSync(work, { recursive: true });

async function corpusFile(kind, n) {
  const path = join(work, kind === 'phrase' ? `corpus-${SEED}-${n}.jsonl` : `real-${REAL_SEED}-${n}.jsonl`);
  if (!existsSync(path)) await (kind === 'phrase' ? writeCorpus(path, n) : writeRealCorpus(path, n));
  return path;
}

function run(corpus) {
  const memFile = join(work, 'memory-samples.json');
  const out = join(work, 'out-memory');
  const args = ['--import', './bench/memory-sampler.mjs', 'bench/pipeline-child.mjs', corpus, out];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHATMILL_BENCH_MEMORY_FILE: memFile } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`pipeline-child exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const child = JSON.parse(r.stdout.trim().split('\n').pop());
  const mem = JSON.parse(readFileSync(memFile, 'utf8'));
  rmSync(out, { recursive: true, force: true });
  return { seconds, tokens: child.tokens, peakRssMB: mem.peakRssMB, atPeak: mem.peak };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average ${load()}`);
console.log('| corpus | wall s | tokens | peak RSS MB | main heap MB at peak | main ArrayBuffers MB at peak |');
console.log('|---|---:|---:|---:|---:|---:|');
let worst = 0;
for (const n of sizes) {
  for (const kind of corpora) {
    const corpus = await corpusFile(kind, n);
    const x = run(corpus);
    worst = Math.max(worst, x.peakRssMB);
    console.log(`| ${kind} ${n.toLocaleString('en-US')} | ${x.seconds.toFixed(1)} | ${x.tokens.toLocaleString('en-US')} | ${x.peakRssMB} | ${x.atPeak.heapTotal} | ${x.atPeak.arrayBuffers} |`);
  }
}
console.log(`load average ${load()}; highest peak RSS: ${worst} MB (target ≤ 300 MB): ${worst <= 300 ? 'met' : 'MISSED'}`);
