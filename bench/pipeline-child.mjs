// One benchmark run of chatmill's pipeline in its own process, set up as the CLI sets itself up (so its peak RSS is its own): parse, normalize,
// validate, dedup, tokenize (worker threads), audit, export to Parquet (zstd), then the audit reports and the
// dataset card. Each stage is wrapped to measure its self time on the main thread: time spent inside the stage's
// next() minus time spent waiting on the stage before it. Prints one JSON line.
//   node bench/pipeline-child.mjs CORPUS.jsonl OUTDIR [none|near_dedup|decontaminate|both] [BENCHMARKS_DIR]
// With CHATMILL_BENCH_MIX=1 a `mix: { target: hermes3 }` stage runs after tokenize (its cost is reported apart).
// The third argument adds the curation stages after dedup (bench/curation.mjs), with the benchmark sets given.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runIngest } from '../dist/src/ingest.js';
import { buildSftStages } from '../dist/src/pipeline/sft-stages.js';
import { expectedTokensOfFiles } from '../dist/src/parallel/tokenize-stage.js';
import { normalizeStage } from '../dist/src/stages/normalize.js';
import { validateStage } from '../dist/src/stages/validate.js';
import { writeAuditReports } from '../dist/src/report/write-audit-reports.js';
import { finalizeDataset } from '../dist/src/export/finalize.js';
import { stageTimer } from './timed-stage.mjs';
import { peakRssBytes } from './peak-rss.mjs';

const [corpus, out, curate = 'none', benchmarks] = process.argv.slice(2);
const withNear = curate === 'near_dedup' || curate === 'both';
const withDecontam = curate === 'decontaminate' || curate === 'both';
rmSync(out, { recursive: true, force: true });
const t0 = performance.now();
const { self, timed } = stageTimer();

const dataset = { kind: 'sft', inputs: [corpus], stages: [
  { validate: { trim_whitespace: false, long_turn_chars: 20000 } },
  { dedup: {} },
  // Pipeline files get these defaults from the zod schema; this object is not parsed, so they are spelled out.
  ...(withDecontam ? [{ decontaminate: { benchmarks: [benchmarks], ngram: 8, threshold: 0.5, min_words: 3, roles: ['user'], mode: 'drop' } }] : []),
  ...(withNear ? [{ near_dedup: null }] : []),
  { tokenize: { tokenizer: 'hermes3', template: 'chatml', max_length: 8192, over_length: 'keep', train_on_eos: 'turn', roles_to_train: ['assistant'], last_turn_only: false } },
  ...(process.env.CHATMILL_BENCH_MIX === '1'
    ? [{ mix: { target: 'hermes3', by: 'category', count: 'all', max_epochs: 3, seed: 42, within: 'random', others: 'drop', strict: false } }]
    : []),
  { audit: { target_response_share: 0.69, dir: '.' } },
  { export: { split: 'train', max_shard_size: '500MB', compression: 'zstd' } },
] };
const exports = { dir: join(out, 'dataset'), results: [] };
const tSetup = performance.now();
// As `chatmill run` does (src/pipeline/run-file.ts): the input's size tells the tokenize stage to start its workers at once.
const build = await buildSftStages({ name: 'sft', dataset, place: (p) => join(out, p), exports, how: { expectedTokens: expectedTokensOfFiles([corpus]) } });
const setupMs = performance.now() - tSetup;
const near = build.stages.find((st) => st.name === 'near_dedup');
const decontam = build.stages.find((st) => st.name === 'decontaminate');
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
  peakRssBytes: peakRssBytes(),
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  dropReasons: { ...tally.dropReasons },
  nearDedup: near && { ...near.stats(), settings: undefined },
  decontaminate: decontam && { indexMs: decontam.stats().indexMs, items: decontam.stats().items, contaminated: decontam.stats().contaminated },
}));
