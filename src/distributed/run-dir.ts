/**
 * STAND-IN for the scale helper's src/distributed/run-dir.ts (issue 14 contract), written only so the executors
 * compile and can be tested on this branch. It keeps the contract's names and shapes (prepareRun, markerPath,
 * the run.json refusal); the lead takes scale's version, which also records inputs and work units.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../outputs/atomic.js';
import { UsageError } from '../types.js';

export type MarkerKind = 'started' | 'failures' | 'completions' | 'stats';

/** `phases/<phase>/<kind>/<rank:05d>` (stats: `.json`). */
export function markerPath(runDir: string, phase: string, rank: number, kind: MarkerKind): string {
  const name = String(rank).padStart(5, '0');
  return join(runDir, 'phases', phase, kind, kind === 'stats' ? `${name}.json` : name);
}

export async function prepareRun(o: {
  pipelinePath: string;
  worldSize: number;
  runDir?: string;
  restart?: boolean;
  /** Overrides the pipeline's `out`. */
  out?: string;
}): Promise<{ runDir: string; outDir: string }> {
  let text: string;
  try {
    text = await readFile(o.pipelinePath, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read pipeline file ${o.pipelinePath}: ${(e as Error).message}`);
  }
  const doc = (parseYaml(text) ?? {}) as { out?: string };
  const outDir = o.out ?? doc.out ?? 'out';
  const runDir = o.runDir ?? join(outDir, '.run');
  const record = { pipeline: { path: o.pipelinePath, sha256: createHash('sha256').update(text).digest('hex') }, worldSize: o.worldSize, out: outDir };
  const file = join(runDir, 'run.json');
  if (o.restart) await rm(runDir, { recursive: true, force: true });
  let before: typeof record | undefined;
  try {
    before = JSON.parse(await readFile(file, 'utf8')) as typeof record;
  } catch {
    before = undefined;
  }
  if (before) {
    if (before.worldSize !== record.worldSize)
      throw new UsageError(`${runDir}: this run was started with world size ${before.worldSize}, not ${record.worldSize}; use --restart to start over`);
    if (before.pipeline.sha256 !== record.pipeline.sha256)
      throw new UsageError(`${runDir}: the pipeline file changed since this run started; use --restart to start over`);
    return { runDir, outDir: before.out };
  }
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return { runDir, outDir };
}
