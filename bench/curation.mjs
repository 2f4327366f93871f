#!/usr/bin/env node
// Cost of the curation stages (issue 11: near_dedup, decontaminate), to be folded into `npm run bench`:
//  1. decontamination index build over the real benchmark sets in ../shared/realdata/benchmarks (wall and CPU);
//  2. the whole pipeline (bench/pipeline-child.mjs with the curation stages added after dedup) on two
//     corpora, without and with the stages: the phrase-bank corpus of bench/corpus.mjs, and a corpus of
//     recombined real sentences with planted near-duplicates, copies and benchmark items
//     (bench/curation-corpus.mjs); seconds per stage, % of the pipeline, peak RSS;
//  3. near_dedup's memory over 1M records (bench/curation-million.mjs).
// Writes bench/results-curation.json. Options: --records N (100000), --million N (1000000, 0 to skip),
// --no-pipeline. Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SEED, writeCorpus } from './corpus.mjs';
import { REALDATA, writeRealCorpus } from './curation-corpus.mjs';
import { loadBenchmarks } from '../dist/src/curate/benchmarks.js';
import { BenchmarkIndex } from '../dist/src/curate/benchmark-index.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const records = Number(arg('--records', '100000'));
const million = Number(arg('--million', '1000000'));
const work = join('bench', 'work');
mkdirSync(work, { recursive: true });
const BENCHMARKS = `${REALDATA}benchmarks`;
const r = { date: new Date().toISOString(), command: `node bench/curation.mjs ${process.argv.slice(2).join(' ')}`.trim(), machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg().map((x) => +x.toFixed(1)) } };
const log = (s) => console.log(s);

// 1. Index build.
r.index = [];
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const loaded = await loadBenchmarks([BENCHMARKS]);
  const t1 = performance.now();
  const idx = new BenchmarkIndex(loaded.items);
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  r.index.push({ items: loaded.items.length, distinctNgrams: idx.distinctGrams, readSeconds: +((t1 - t0) / 1000).toFixed(3), indexSeconds: +((t2 - t1) / 1000).toFixed(3), totalSeconds: +((t2 - t0) / 1000).toFixed(3), cpuSeconds: +((c.user + c.system) / 1e6).toFixed(3) });
  log(`benchmark index (run ${i + 1}): ${JSON.stringify(r.index.at(-1))}`);
}

// 2. Pipeline with and without the stages.
function child(corpus, out, curate) {
  const text = execFileSync(process.execPath, ['bench/pipeline-child.mjs', corpus, out, curate, BENCHMARKS], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(text.trim().split('\n').pop());
}
if (!process.argv.includes('--no-pipeline')) {
  const phrase = join(work, `corpus-${SEED}-${records}.jsonl`);
  if (!existsSync(phrase)) await writeCorpus(phrase, records);
  const realPath = join(work, `curation-real-7-${records}.jsonl`);
  if (!existsSync(realPath)) r.realCorpusPlanted = (await writeRealCorpus(realPath, records)).planted;
  r.pipeline = {};
  for (const [name, path] of [['phrase-bank (bench/corpus.mjs)', phrase], ['real text (bench/curation-corpus.mjs)', realPath]]) {
    const runs = {};
    for (const curate of ['none', 'both']) {
      runs[curate] = child(path, join(work, `out-curation-${curate}`), curate);
      log(`${name}, curation ${curate}: ${(runs[curate].totalMs / 1000).toFixed(1)} s wall, ${(runs[curate].cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${(runs[curate].peakRssBytes / 2 ** 20).toFixed(0)} MB, drops ${JSON.stringify(runs[curate].dropReasons)}`);
    }
    const w = runs.both;
    const s = (k) => +((w.stageSelfMs[k] ?? 0) / 1000).toFixed(3);
    r.pipeline[name] = {
      corpus: { path, records, bytes: statSync(path).size },
      withoutSeconds: runs.none.totalMs / 1000,
      withSeconds: w.totalMs / 1000,
      withoutCpuSeconds: runs.none.cpuMs / 1000,
      withCpuSeconds: w.cpuMs / 1000,
      nearDedupSeconds: s('near_dedup'),
      decontaminateSeconds: s('decontaminate'),
      decontaminateIndexSeconds: +(w.decontaminate.indexMs / 1000).toFixed(3),
      // Stage self time as a share of the whole run with the stages on (index build counted with decontaminate).
      nearDedupPercent: +((100 * w.stageSelfMs.near_dedup) / w.totalMs).toFixed(1),
      decontaminatePercent: +((100 * (w.stageSelfMs.decontaminate + w.decontaminate.indexMs)) / w.totalMs).toFixed(1),
      wallIncreasePercent: +((100 * (w.totalMs - runs.none.totalMs)) / runs.none.totalMs).toFixed(1),
      peakRssMBWithout: runs.none.peakRssBytes / 2 ** 20,
      peakRssMBWith: w.peakRssBytes / 2 ** 20,
      dropReasons: w.dropReasons,
      nearDedup: w.nearDedup,
      contaminated: w.decontaminate.contaminated,
      stageSeconds: Object.fromEntries(Object.entries(w.stageSelfMs).map(([k, v]) => [k, +(v / 1000).toFixed(3)])),
    };
    log(JSON.stringify(r.pipeline[name]));
  }
}

// 3. near_dedup memory at 1M records.
if (million > 0) {
  const text = execFileSync(process.execPath, ['--expose-gc', 'bench/curation-million.mjs', String(million)], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  r.million = JSON.parse(text.trim().split('\n').pop());
  log(`near_dedup over ${million.toLocaleString('en-US')} records: ${JSON.stringify(r.million)}`);
}
r.machine.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(1));
writeFileSync(join('bench', 'results-curation.json'), `${JSON.stringify(r, null, 2)}\n`);
log('wrote bench/results-curation.json');
