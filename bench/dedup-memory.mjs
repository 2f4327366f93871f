// Memory per distinct record of the dedup stage, against the Map-based version it replaced, in one run.
// Each case runs in a fresh child process (node --expose-gc) so the figures do not mix:
//   node bench/dedup-memory.mjs            (build first: npx tsc -p tsconfig.json)
// Retained = heap + typed-array memory after a full GC while the stage still holds its state, minus the same
// figure before the first record. Peak RSS is the child's own (VmHWM, bench/peak-rss.mjs; includes Node itself, ~45 MB).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { peakRssBytes } from './peak-rss.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CASES = [
  { name: '1M tiny records, own ids', records: 1_000_000, idChars: 0, contentIds: false },
  { name: '1M tiny records, content ids', records: 1_000_000, idChars: 0, contentIds: true },
  { name: '2,000 records, 256 KB ids', records: 2_000, idChars: 256 * 1024, contentIds: false },
];

/** The dedup stage as it was before (a Map of base64 hash → id), for comparison. */
function mapDedupStage() {
  return {
    name: 'dedup',
    async *run(input) {
      const seen = new Map();
      for await (const item of input) {
        const key = createHash('sha256').update(JSON.stringify([item.value.messages, item.value.tools ?? null])).digest('base64').slice(0, 22);
        if (seen.has(key)) yield { kind: 'drop' };
        else {
          seen.set(key, item.value.id);
          yield { kind: 'keep' };
        }
      }
    },
  };
}

async function child(caseIndex, variant) {
  const c = CASES[caseIndex];
  const { dedupStage } = await import(`${ROOT}dist/src/stages/dedup.js`);
  const stage = variant === 'map' ? mapDedupStage() : dedupStage();
  const retained = () => {
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  // A fresh flat string per record (a concatenation would share one buffer between all ids).
  const longId = (i) => {
    const b = Buffer.alloc(c.idChars, 'x');
    b.write(String(i).padStart(12, '0'));
    return b.toString('latin1');
  };
  let before = 0;
  let after = 0;
  async function* items() {
    before = retained();
    for (let i = 0; i < c.records; i++) {
      const messages = [{ role: 'user', content: `question ${i}` }, { role: 'assistant', content: 'answer' }];
      const id = c.contentIds
        ? createHash('sha256').update(JSON.stringify([messages, null])).digest('hex').slice(0, 16)
        : c.idChars
          ? longId(i)
          : `record-${String(i).padStart(12, '0')}`;
      yield { kind: 'keep', ref: { source: 'bench', index: i }, value: { id, messages }, raw: '' };
    }
    after = retained(); // the stage's generator is suspended here with all its state alive
  }
  const t = performance.now();
  let kept = 0;
  for await (const o of stage.run(items(), { warn() {}, noteFormat() {} })) if (o.kind === 'keep') kept++;
  const seconds = (performance.now() - t) / 1000;
  const rss = peakRssBytes();
  process.stdout.write(JSON.stringify({ kept, retained: after - before, rss, seconds }));
}

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]), process.argv[4]);
} else {
  const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
  console.log('case | version | retained | bytes per distinct record | peak RSS | time');
  console.log('---|---|---|---|---|---');
  for (let i = 0; i < CASES.length; i++) {
    for (const variant of ['map', 'index']) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', String(i), variant], { encoding: 'utf8' });
      const r = JSON.parse(out);
      const label = variant === 'map' ? 'before (Map of hash → id)' : 'now (typed-array index + id file)';
      console.log(`${CASES[i].name} | ${label} | ${mb(r.retained)} | ${(r.retained / r.kept).toFixed(1)} | ${mb(r.rss)} | ${r.seconds.toFixed(1)} s`);
    }
  }
}
