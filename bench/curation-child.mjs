// bench/pipeline-child.mjs with the curation stages added after dedup (to be folded into it once near_dedup and
// decontaminate are pipeline stages): parse, normalize, validate, dedup, [near_dedup], [decontaminate],
// tokenize (worker threads), audit, export, reports. Self time per stage as in pipeline-child. Prints one JSON line.
//   node bench/curation-child.mjs CORPUS.jsonl OUTDIR [none|near_dedup|decontaminate|both] BENCHMARKS_DIR
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runIngest } from '../dist/src/ingest.js';
import { buildSftStages } from '../dist/src/pipeline/sft-stages.js';
import { normalizeStage } from '../dist/src/stages/normalize.js';
import { validateStage } from '../dist/src/stages/validate.js';
import { writeAuditReports } from '../dist/src/report/write-audit-reports.js';
import { finalizeDataset } from '../dist/src/export/finalize.js';
import { limitHeapGrowth } from '../dist/src/heap.js';
import { stageTimer } from './timed-stage.mjs';
import { nearDedupStage } from '../dist/src/curate/near-dedup.js';
import { decontaminateStage } from '../dist/src/curate/decontaminate.js';

// The same V8 heap setting the chatmill CLI applies at start-up.
limitHeapGrowth();

const [corpus, out, curate = 'both', benchmarks] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
const t0 = performance.now();
const { self, timed } = stageTimer();

const dataset = { kind: 'sft', inputs: [corpus], stages: [
  { validate: { trim_whitespace: false, long_turn_chars: 20000 } },
  { dedup: {} },
  { tokenize: { tokenizer: 'hermes3', template: 'chatml', max_length: 8192, over_length: 'keep', train_on_eos: 'turn', roles_to_train: ['assistant'], last_turn_only: false } },
  { audit: { target_response_share: 0.69, dir: '.' } },
  { export: { split: 'train', max_shard_size: '500MB', compression: 'zstd' } },
] };
const exports = { dir: join(out, 'dataset'), results: [] };
const tSetup = performance.now();
const build = await buildSftStages({ name: 'sft', dataset, place: (p) => join(out, p), exports });
const curation = [];
let decontam;
let near;
if (curate === 'near_dedup' || curate === 'both') curation.push((near = nearDedupStage()));
if (curate === 'decontaminate' || curate === 'both') curation.push((decontam = await decontaminateStage({ benchmarks: [benchmarks] })));
build.stages.splice(build.stages.findIndex((s) => s.name === 'dedup') + 1, 0, ...curation);
const setupMs = performance.now() - tSetup;
const tally = await runIngest({
  inputs: [corpus],
  recordStages: [timed(normalizeStage(() => ({}))), timed(validateStage(build.validate))],
  extraStages: build.stages.map(timed),
  rejectsPath: join(out, 'rejects.jsonl'),
  droppedPath: join(out, 'dropped.jsonl'),
  label: 'sft',
});
const tReports = performance.now();
const audit = build.audits[0].accumulator.result();
await writeAuditReports({ dir: out, audit, targetResponseShare: 0.69, maxLength: 8192, title: 'bench' });
await finalizeDataset({ dir: exports.dir, configs: exports.results, audit, provenance: { chatmillVersion: 'bench', pipeline: { path: 'bench', sha256: '0'.repeat(64) }, inputs: [] }, card: { title: 'bench' } });
const reportsMs = performance.now() - tReports;
const totalMs = performance.now() - t0;
const s = tally.summary();
const stagesSum = Object.values(self).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  totalMs, setupMs, reportsMs,
  stageSelfMs: { ...self, 'read + parse + runner': totalMs - setupMs - reportsMs - stagesSum },
  read: s.read, kept: s.kept, rejected: s.rejected, dropped: s.dropped,
  tokens: audit.tokens, responseTokens: audit.response_tokens,
  exportRows: exports.results.reduce((n, r) => n + r.numRows, 0),
  shards: exports.results.flatMap((r) => r.files.map((f) => join(exports.dir, f.path))),
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  dropReasons: { ...tally.dropReasons },
  nearDedup: near && { ...near.stats(), settings: undefined },
  decontaminate: decontam && { indexMs: decontam.stats().indexMs, items: decontam.stats().items, contaminated: decontam.stats().contaminated },
}));
