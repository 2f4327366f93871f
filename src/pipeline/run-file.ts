import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Audit } from '../../schemas/audit.js';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { PairStats } from '../pairs/stats.js';
import { runIngest, resolveInputs, type InputSpec } from '../ingest.js';
import { fileSinks } from '../sinks.js';
import { Tally } from '../tally.js';
import { VERSION } from '../version.js';
import { finalizeDataset } from '../export/finalize.js';
import { writeAuditReports } from '../report/write-audit-reports.js';
import { loadPipeline } from './load.js';
import { buildSftStages, type SftBuild } from './sft-stages.js';
import { buildPreferenceStages } from './preference-stages.js';
import { datasetDir, type DatasetExports } from './exports.js';

export interface RunFileParams {
  pipelinePath: string;
  /** Overrides the pipeline's `out`. */
  out?: string;
  hubUrl?: string;
  /** Repo id for the dataset card's loading snippet. */
  repoId?: string;
  onDataset?: (name: string) => void;
  /** Told about every record read (drives a progress display). */
  onRead?: () => void;
}

export interface RunFileResult {
  pipeline: Pipeline;
  tally: Tally;
  out: string;
  /** The publishable dataset directory (card, manifest, data/), when any dataset exports. */
  datasetDir?: string;
  audits: { dir: string; audit: Audit }[];
  /** Pair statistics per preference dataset (also written to `{dataset}.pair-stats.json`). */
  pairs: { dataset: string; stats: PairStats }[];
}

const inputSpecs = (inputs: Pipeline['datasets'][string]['inputs']): InputSpec[] =>
  inputs.map((i) => (typeof i === 'string' ? { path: i } : i));

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Run every dataset of a pipeline file into one output directory: `rejects.jsonl`, `dropped.jsonl`,
 * `summary.json`, audit reports, write-stage JSONL, and the publishable dataset in `dataset/`.
 * One tally covers the whole run, so the conservation check and the summary span all datasets.
 */
export async function runPipelineFile(params: RunFileParams): Promise<RunFileResult> {
  const { pipeline, text } = await loadPipeline(params.pipelinePath);
  const out = params.out ?? pipeline.out;
  await mkdir(out, { recursive: true });
  const exports: DatasetExports = { dir: datasetDir(out), results: [] };
  const tally = new Tally();
  const sinks = fileSinks({ rejects: join(out, 'rejects.jsonl'), dropped: join(out, 'dropped.jsonl') });
  const audits: RunFileResult['audits'] = [];
  const pairs: RunFileResult['pairs'] = [];
  const pending: (SftBuild['audits'][number] & { dataset: string })[] = [];
  const builds: { dataset: string; build: SftBuild }[] = [];
  const limits = { maxRecordBytes: pipeline.limits.max_record_bytes, maxDepth: pipeline.limits.max_depth };
  const inputFiles = new Set<string>();
  try {
    for (const [name, dataset] of Object.entries(pipeline.datasets)) {
      params.onDataset?.(name);
      const inputs = inputSpecs(dataset.inputs);
      for (const f of (await resolveInputs(inputs)).files) inputFiles.add(f);
      if (dataset.kind === 'preference') {
        const { stages, stats } = await buildPreferenceStages({ name, dataset, out, exports });
        await runIngest({ inputs, limits, recordStages: stages, sinks, tally, label: name, onRead: params.onRead });
        const pairStats = stats.result();
        await writeFile(join(out, `${name}.pair-stats.json`), `${JSON.stringify(pairStats, null, 2)}\n`);
        pairs.push({ dataset: name, stats: pairStats });
        continue;
      }
      const build = await buildSftStages({ name, dataset, out, exports, hubUrl: params.hubUrl });
      await runIngest({ inputs, limits, validate: build.validate, extraStages: build.stages, sinks, tally, label: name, onRead: params.onRead });
      for (const a of build.audits) pending.push({ ...a, dataset: name });
      builds.push({ dataset: name, build });
    }
  } finally {
    await sinks.close();
  }
  // Reports are written once every dataset has run, so the SFT audit also shows the run's preference pairs.
  for (const a of pending) {
    const audit = a.accumulator.result();
    await writeAuditReports({ dir: a.dir, audit, targetResponseShare: a.targetResponseShare, maxLength: a.maxLength, title: `${pipeline.name} · ${a.dataset}`, pairs });
    audits.push({ dir: a.dir, audit });
  }

  let dataset: string | undefined;
  if (exports.results.length) {
    dataset = exports.dir;
    const inputs = [];
    for (const path of [...inputFiles].filter((f) => f !== '-')) inputs.push({ path, sha256: await sha256File(path) });
    await finalizeDataset({
      dir: exports.dir,
      configs: exports.results,
      audit: audits[0]?.audit,
      provenance: {
        chatmillVersion: VERSION,
        pipeline: { path: params.pipelinePath, sha256: createHash('sha256').update(text).digest('hex') },
        inputs,
      },
      card: { ...pipeline.card, repoId: params.repoId ?? pipeline.push?.repo },
      mixes: builds.flatMap(({ dataset, build }) => (build.mix ? [{ dataset, report: build.mix }] : [])),
    });
  }
  await writeFile(join(out, 'summary.json'), `${JSON.stringify({ ...tally.summary(), stages: Object.fromEntries(tally.stages) }, null, 2)}\n`);
  return { pipeline, tally, out, datasetDir: dataset, audits, pairs };
}
