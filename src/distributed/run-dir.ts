import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pipeline } from '../../schemas/pipeline.js';
import { resolveInputs, type InputSpec } from '../ingest.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { loadPipeline } from '../pipeline/load.js';
import { UsageError } from '../types.js';
import { readsWholeFiles } from './chain.js';
import { inputChanged, planWorkUnits, type InputRecord, type WorkUnit } from './work-units.js';

export const PHASES = ['map', 'decide', 'apply'] as const;
export type Phase = (typeof PHASES)[number];
export type MarkerKind = 'started' | 'failures' | 'completions' | 'stats';

/** The run directory's plan, written once by the first rank (or `launch`) and checked by every later one. */
export interface RunJson {
  version: 1;
  pipeline: { path: string; sha256: string };
  /** The output folder `merge` writes (the pipeline's `out`, or the override given when the run was prepared). */
  out: string;
  worldSize: number;
  splitBytes: number;
  inputs: InputRecord[];
  units: WorkUnit[];
}

export const RUN_FILE = 'run.json';
export const defaultRunDir = (out: string): string => join(out, '.run');

const pad = (rank: number) => String(rank).padStart(5, '0');

/** `phases/<phase>/<kind>/<rank:05d>` (stats: `<rank:05d>.json`): the files executors and `status` read. */
export function markerPath(runDir: string, phase: Phase, rank: number, kind: MarkerKind): string {
  return join(runDir, 'phases', phase, kind, kind === 'stats' ? `${pad(rank)}.json` : pad(rank));
}

/** Where one phase keeps one work unit's outputs (or, for decide, its per-dataset ones). */
export const unitDir = (runDir: string, phase: Phase, unit: number | string): string =>
  join(runDir, 'data', phase, typeof unit === 'number' ? `unit-${pad(unit)}` : unit);

export async function readRunJson(runDir: string): Promise<RunJson | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, RUN_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as RunJson;
  } catch (e) {
    throw new UsageError(`${join(runDir, RUN_FILE)} is not valid JSON (${(e as Error).message}); pass --restart to start the run over`);
  }
}

/** The input files of every dataset, in pipeline order. */
export async function datasetFiles(pipeline: Pipeline): Promise<{ name: string; files: string[]; specFor: Map<string, InputSpec> }[]> {
  const out = [];
  for (const [name, dataset] of Object.entries(pipeline.datasets)) {
    const specs = dataset.inputs.map((i) => (typeof i === 'string' ? { path: i } : i));
    const { files, specFor } = await resolveInputs(specs);
    out.push({ name, files, specFor });
  }
  return out;
}

export interface PrepareOptions {
  pipelinePath: string;
  worldSize: number;
  runDir?: string;
  /** Clear the run directory and plan afresh (instead of refusing a changed run). */
  restart?: boolean;
  /** Overrides the pipeline's `out`. */
  out?: string;
  /** Cut plain JSONL files into pieces of about this many bytes (default: total input size / world size, ≥ 8 MiB). */
  splitBytes?: number;
  /** Skip the world-size comparison (the decide phase runs as one task of a world of one). */
  anyWorldSize?: boolean;
}

/**
 * Write run.json for a new run, or check an existing one against the pipeline file, the world size and the
 * inputs. A difference is refused (UsageError, exit 2) with what changed, unless `restart`, which clears the
 * run directory first: results of a different plan must never be mixed with this one's.
 *
 * Inputs are compared by size and modification time first and hashed only when those differ, so a rank's
 * check costs a stat per input rather than a read of the whole input.
 */
export async function prepareRun(o: PrepareOptions): Promise<{ runDir: string; outDir: string; run: RunJson }> {
  const { pipeline, text } = await loadPipeline(o.pipelinePath);
  const outDir = o.out ?? pipeline.out;
  const runDir = o.runDir ?? defaultRunDir(outDir);
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (!(Number.isSafeInteger(o.worldSize) && o.worldSize >= 1)) throw new UsageError(`world size must be an integer ≥ 1, got ${o.worldSize}`);
  if (o.restart) await rm(runDir, { recursive: true, force: true });
  const datasets = await datasetFiles(pipeline);
  const existing = await readRunJson(runDir);
  if (existing) {
    const changes = await runChanges(existing, { sha256, worldSize: o.anyWorldSize ? existing.worldSize : o.worldSize, out: outDir, splitBytes: o.splitBytes, datasets });
    if (changes.length) {
      throw new UsageError(
        `the run in ${runDir} was planned differently:\n  ${changes.join('\n  ')}\n` +
          `rerun with --restart to clear ${runDir} and start over (its results are deleted), or use another --run-dir`,
      );
    }
    return { runDir, outDir: existing.out, run: existing };
  }
  const planned = await planWorkUnits({ datasets: datasets.map((d) => ({ ...d, whole: readsWholeFiles(pipeline.datasets[d.name]) })), worldSize: o.worldSize, splitBytes: o.splitBytes });
  const run: RunJson = { version: 1, pipeline: { path: o.pipelinePath, sha256 }, out: outDir, worldSize: o.worldSize, ...planned };
  // Every rank that finds no run.json plans the same thing, so concurrent first writes agree; each is atomic.
  await writeFileAtomic(join(runDir, RUN_FILE), `${JSON.stringify(run, null, 1)}\n`);
  return { runDir, outDir, run };
}

async function runChanges(
  run: RunJson,
  now: { sha256: string; worldSize: number; out: string; splitBytes?: number; datasets: { name: string; files: string[] }[] },
): Promise<string[]> {
  const changes: string[] = [];
  if (run.pipeline.sha256 !== now.sha256) changes.push(`the pipeline file changed (sha256 ${run.pipeline.sha256.slice(0, 12)}… → ${now.sha256.slice(0, 12)}…)`);
  if (run.worldSize !== now.worldSize) changes.push(`the world size changed (${run.worldSize} → ${now.worldSize} ranks)`);
  if (run.out !== now.out) changes.push(`the output folder changed (${run.out} → ${now.out})`);
  if (now.splitBytes !== undefined && now.splitBytes !== run.splitBytes) changes.push(`the split size changed (${run.splitBytes} → ${now.splitBytes} bytes)`);
  const was = run.inputs.map((i) => i.path);
  const is = [...new Set(now.datasets.flatMap((d) => d.files))];
  for (const p of is) if (!was.includes(p)) changes.push(`input ${p} was added`);
  for (const p of was) if (!is.includes(p)) changes.push(`input ${p} was removed`);
  for (const r of run.inputs) {
    if (!is.includes(r.path)) continue;
    const why = await inputChanged(r);
    if (why) changes.push(why);
  }
  return changes;
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
