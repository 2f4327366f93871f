import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Audit } from '../../schemas/audit.js';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { PairStats } from '../pairs/stats.js';
import { runIngest, resolveInputs, type InputSpec } from '../ingest.js';
import { fileSinks } from '../sinks.js';
import { Tally } from '../tally.js';
import { VERSION } from '../version.js';
import { finalizeDataset } from '../export/finalize.js';
import { AUDIT_FILES, renderAuditReports } from '../report/write-audit-reports.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { checkOutputsAgainstInputs } from '../outputs/clash.js';
import { joinOut, loadPipeline } from './load.js';
import { RunStaging, SUMMARY_FILE } from './staging.js';
import { DROPPED_FILE, REJECTS_FILE, pairStatsFile, plannedOutputs } from './planned-outputs.js';
import { buildSftStages, type SftBuild } from './sft-stages.js';
import { expectedTokensOfFiles } from '../parallel/tokenize-stage.js';
import { buildPreferenceStages } from './preference-stages.js';
import { datasetDir, type DatasetExports } from './exports.js';
import type { MixReport } from '../mix/stage.js';

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

/** Every input file of every dataset, expanded once before anything is written (staging lives inside `out`). */
async function resolveAll(pipeline: Pipeline): Promise<{ byDataset: Map<string, InputSpec[]>; files: string[] }> {
  const byDataset = new Map<string, InputSpec[]>();
  const files: string[] = [];
  for (const [name, dataset] of Object.entries(pipeline.datasets)) {
    const { files: found, specFor } = await resolveInputs(inputSpecs(dataset.inputs));
    byDataset.set(name, found.map((f) => ({ ...specFor.get(f)!, path: f })));
    files.push(...found);
  }
  return { byDataset, files: [...new Set(files)] };
}

/**
 * Run every dataset of a pipeline file into one output directory: `rejects.jsonl`, `dropped.jsonl`,
 * `summary.json`, audit reports, write-stage JSONL, and the publishable dataset in `dataset/`.
 * One tally covers the whole run, so the conservation check and the summary span all datasets.
 *
 * No output may be an input (checked first, exit 2). The run writes into a staging folder and promotes it
 * only when everything succeeded, `summary.json` last (src/pipeline/staging.ts): a failed or killed run
 * never leaves a truncated file under a final name, nor a mix of this run's and the last run's outputs.
 */
export async function runPipelineFile(params: RunFileParams): Promise<RunFileResult> {
  const { pipeline, text } = await loadPipeline(params.pipelinePath);
  const out = params.out ?? pipeline.out;
  const resolved = await resolveAll(pipeline);
  await checkOutputsAgainstInputs(resolved.files, plannedOutputs(pipeline, out));

  const staging = await RunStaging.open(out);
  const place = (p: string) => staging.file(joinOut(out, p));
  const finalDatasetDir = datasetDir(out);
  const exports: DatasetExports = { dir: staging.folder(finalDatasetDir), results: [] };
  const tally = new Tally();
  const sinks = fileSinks({ rejects: place(REJECTS_FILE), dropped: place(DROPPED_FILE) });
  const audits: RunFileResult['audits'] = [];
  const pairs: RunFileResult['pairs'] = [];
  const pending: (SftBuild['audits'][number] & { dataset: string })[] = [];
  const builds: { dataset: string; build: SftBuild }[] = [];
  const preferenceMixes: { dataset: string; report: MixReport }[] = [];
  const limits = { maxRecordBytes: pipeline.limits.max_record_bytes, maxDepth: pipeline.limits.max_depth };
  try {
    try {
      for (const [name, dataset] of Object.entries(pipeline.datasets)) {
        params.onDataset?.(name);
        const inputs = resolved.byDataset.get(name)!;
        if (dataset.kind === 'preference') {
          const categoryBySource = new Map(inputs.flatMap((i) => (i.category ? [[i.path, i.category] as const] : [])));
          const { stages, stats, mix } = await buildPreferenceStages({ name, dataset, place, exports, categoryFor: (s) => categoryBySource.get(s) });
          await runIngest({ inputs, limits, recordStages: stages, sinks, tally, label: name, onRead: params.onRead });
          const mixReport = mix?.();
          if (mixReport) preferenceMixes.push({ dataset: name, report: mixReport });
          const pairStats = stats.result();
          await writeFileAtomic(place(pairStatsFile(name)), `${JSON.stringify(pairStats, null, 2)}\n`);
          pairs.push({ dataset: name, stats: pairStats });
          continue;
        }
        const build = await buildSftStages({ name, dataset, place, exports, hubUrl: params.hubUrl, how: { expectedTokens: expectedTokensOfFiles(inputs.map((i) => i.path)) } });
        await runIngest({ inputs, limits, validate: build.validate, extraStages: build.stages, sinks, tally, label: name, onRead: params.onRead });
        for (const a of build.audits) pending.push({ ...a, dataset: name });
        builds.push({ dataset: name, build });
      }
    } finally {
      // Inside staging a half-written file does no harm: it is removed with the staging folder on failure.
      await sinks.close();
    }
    const inputs = [];
    if (exports.results.length) for (const path of resolved.files.filter((f) => f !== '-')) inputs.push({ path, sha256: await sha256File(path) });
    audits.push(...(await writeRunEnd({ pipeline, pipelinePath: params.pipelinePath, pipelineText: text, out, place, tally, pending, builds, preferenceMixes, pairs, exports, inputs, repoId: params.repoId })));
    await staging.cleanOutside();
    await staging.promote();
  } catch (err) {
    await staging.discard().catch(() => undefined);
    if (err instanceof Error) err.message += `\n(the run failed, so none of its outputs were kept: the previous run's files in ${out} are untouched)`;
    throw err;
  }
  return { pipeline, tally, out, datasetDir: exports.results.length ? finalDatasetDir : undefined, audits, pairs };
}

/** What the end of a run needs: the same for one process and for `chatmill merge` of a distributed run. */
export interface RunEnd {
  pipeline: Pipeline;
  pipelinePath: string;
  pipelineText: string;
  out: string;
  place: (path: string) => string;
  tally: Tally;
  pending: (SftBuild['audits'][number] & { dataset: string })[];
  builds: { dataset: string; build: Pick<SftBuild, 'mix'> & { curation?: SftBuild['curation'] } }[];
  /** What the `mix` stages of preference datasets built. */
  preferenceMixes?: { dataset: string; report: MixReport }[];
  pairs: RunFileResult['pairs'];
  exports: DatasetExports;
  /** Input files and their hashes for the card's provenance (needed only when something exports). */
  inputs: { path: string; sha256: string }[];
  repoId?: string;
}

/**
 * The end of a run, once every dataset has run: audit reports (written last, so the SFT audit also shows the
 * run's preference pairs), the dataset card and manifest, and `summary.json`, all into staging.
 */
export async function writeRunEnd(o: RunEnd): Promise<RunFileResult['audits']> {
  const { pipeline, out, place, exports } = o;
  const audits: RunFileResult['audits'] = [];
  const mixes = [...o.builds.flatMap(({ dataset, build }) => (build.mix ? [{ dataset, report: build.mix }] : [])), ...(o.preferenceMixes ?? [])];
  for (const a of o.pending) {
    const audit = a.accumulator.result();
    const rendered = renderAuditReports({
      audit,
      targetResponseShare: a.targetResponseShare,
      maxLength: a.maxLength,
      title: `${pipeline.name} · ${a.dataset}`,
      pairs: o.pairs,
      mixes: mixes.map((m) => ({ ...m, dryRun: false })),
      curation: o.builds.find((b) => b.dataset === a.dataset)?.build.curation?.stages,
    });
    for (const k of ['json', 'markdown', 'html'] as const) await writeFileAtomic(place(join(a.dir, AUDIT_FILES[k])), rendered[k]);
    audits.push({ dir: joinOut(out, a.dir), audit });
  }
  if (exports.results.length) {
    await finalizeDataset({
      dir: exports.dir,
      configs: exports.results,
      audit: audits[0]?.audit,
      provenance: {
        chatmillVersion: VERSION,
        pipeline: { path: o.pipelinePath, sha256: createHash('sha256').update(o.pipelineText).digest('hex') },
        inputs: o.inputs,
        curation: o.builds.flatMap(({ dataset, build }) => (build.curation?.stages ?? []).map((stage) => ({ dataset, ...stage }))),
      },
      card: { ...pipeline.card, repoId: o.repoId ?? pipeline.push?.repo },
      mixes,
    });
  }
  await writeFileAtomic(place(SUMMARY_FILE), `${JSON.stringify({ ...o.tally.summary(), stages: Object.fromEntries(o.tally.stages) }, null, 2)}\n`);
  return audits;
}
