// near_dedup alone over N generated real-text conversations (bench/curation-corpus.mjs), fed from memory so
// only the stage's own state grows. Prints one JSON line: seconds, drops, and at checkpoints the stage's
// growing state (band buckets + spill offsets, in typed arrays), V8 heap, array buffers and RSS.
//   node bench/curation-million.mjs [N=1000000]
import { nearDedupStage } from '../dist/src/curate/near-dedup.js';
import { realTextGenerator, sentencePools } from './curation-corpus.mjs';
import { peakRssBytes } from './peak-rss.mjs';

const N = Number(process.argv[2] ?? 1_000_000);
const pools = await sentencePools();
const gen = realTextGenerator(pools, 1234);
globalThis.gc?.();
const mem = () => {
  const m = process.memoryUsage();
  return { rssMB: +(m.rss / 2 ** 20).toFixed(1), heapUsedMB: +(m.heapUsed / 2 ** 20).toFixed(1), arrayBuffersMB: +(m.arrayBuffers / 2 ** 20).toFixed(1) };
};
const before = mem();
const stage = nearDedupStage();
const checkpoints = [];
const marks = new Set([1e5, 2.5e5, 5e5, 1e6, 2e6].filter((x) => x <= N));
async function* input() {
  for (let i = 0; i < N; i++) {
    const value = gen.next(i);
    yield { kind: 'keep', ref: { source: 'gen', index: i }, value, raw: '' };
  }
}
const t0 = performance.now();
const c0 = process.cpuUsage();
let dropped = 0;
let n = 0;
for await (const o of stage.run(input(), { warn() {}, noteFormat() {} })) {
  n++;
  if (o.kind === 'drop') dropped++;
  if (marks.has(n)) {
    const s = stage.stats();
    checkpoints.push({ records: n, seconds: +((performance.now() - t0) / 1000).toFixed(1), stateMB: +(s.stateBytes / 2 ** 20).toFixed(1), stateBytesPerRecord: +(s.stateBytes / n).toFixed(1), spillMB: +(s.spillBytes / 2 ** 20).toFixed(0), ...mem() });
    console.error(JSON.stringify(checkpoints.at(-1)));
  }
}
const c = process.cpuUsage(c0);
const s = stage.stats();
console.log(JSON.stringify({
  records: N,
  seconds: (performance.now() - t0) / 1000,
  cpuSeconds: (c.user + c.system) / 1e6,
  dropped,
  planted: gen.counts,
  comparisons: s.comparisons,
  before,
  checkpoints,
  peakRssMB: peakRssBytes() / 2 ** 20,
}));
