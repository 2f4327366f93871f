import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { loadPipeline } from '../pipeline/load.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { UsageError } from '../types.js';
import { applyRank } from './apply.js';
import { decideRun } from './decide.js';
import { mapRank } from './map.js';
import { incompleteRanks } from './merge.js';
import { datasetFiles, exists, markerPath, prepareRun, type Phase } from './run-dir.js';
import { decideResultFile } from './decide.js';

export interface PhaseOptions {
  pipelinePath: string;
  phase: Phase;
  rank: number;
  worldSize: number;
  runDir?: string;
  out?: string;
  /** Replan a run whose plan no longer matches (instead of refusing); a matching run is resumed, not cleared. */
  restart?: boolean;
  splitBytes?: number;
  log?: (line: string) => void;
}

/**
 * Run one rank of one phase, with the run directory's markers: `started` at the start, `failures` (message,
 * exit code) on failure, `stats` and, last, `completions` on success. A rank whose completion marker exists
 * returns at once, so re-submitting a whole array redoes only the ranks that did not finish.
 *
 * `restart` here replans only a run that changed: with many ranks starting at once, clearing a matching run
 * directory would delete the work of the ranks that started first. `prepareRun({ restart: true })` (used
 * by `launch`) clears it unconditionally.
 */
export async function runPhase(o: PhaseOptions): Promise<{ runDir: string; skipped: boolean }> {
  const log = o.log ?? (() => undefined);
  if (o.phase === 'decide' && o.rank !== 0) throw new UsageError(`the decide phase is one task: rank 0 (got rank ${o.rank})`);
  const prepare = (restart: boolean) => prepareRun({ pipelinePath: o.pipelinePath, worldSize: o.worldSize, runDir: o.runDir, out: o.out, splitBytes: o.splitBytes, anyWorldSize: o.phase === 'decide', restart });
  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepare(false);
  } catch (e) {
    if (!(o.restart && e instanceof UsageError && /planned differently/.test(e.message))) throw e;
    log(`chatmill: the run changed; --restart clears it and plans again`);
    prepared = await prepare(true);
  }
  const { runDir, run } = prepared;
  const marker = (kind: 'started' | 'failures' | 'completions' | 'stats') => markerPath(runDir, o.phase, o.rank, kind);
  if (await exists(marker('completions'))) {
    log(`chatmill: ${o.phase} rank ${o.rank} already complete (${marker('completions')}); nothing to do`);
    return { runDir, skipped: true };
  }
  await rm(marker('failures'), { force: true });
  await writeFileAtomic(marker('started'), JSON.stringify({ host: hostname(), pid: process.pid, time: new Date().toISOString() }));
  const t0 = performance.now();
  try {
    const needs = o.phase === 'decide' ? 'map' : o.phase === 'apply' ? 'decide' : undefined;
    if (needs) {
      const missing = await incompleteRanks(runDir, run, needs);
      if (missing.length) throw new UsageError(`${o.phase} needs every ${needs} rank complete; still missing: ${missing.join(', ')}`);
    }
    const { pipeline } = await loadPipeline(o.pipelinePath);
    const specs = new Map((await datasetFiles(pipeline)).map((d) => [d.name, d.specFor]));
    let stats: Record<string, unknown>;
    if (o.phase === 'map') {
      const r = await mapRank({ run, runDir, pipeline, specs, rank: o.rank });
      stats = { records: r.records };
    } else if (o.phase === 'decide') {
      await decideRun({ run, runDir, pipeline, specs });
      stats = {};
    } else {
      // decide writes a result for exactly the datasets that have a global stage.
      const decided = new Set<string>();
      for (const d of Object.keys(pipeline.datasets)) if (await exists(decideResultFile(runDir, d))) decided.add(d);
      const r = await applyRank({ run, runDir, pipeline, rank: o.rank, decided: (d) => decided.has(d) });
      stats = { items: r.items };
    }
    const units = o.phase === 'decide' ? run.units.length : run.units.filter((u) => u.rank === o.rank).length;
    await writeFileAtomic(marker('stats'), `${JSON.stringify({ phase: o.phase, rank: o.rank, worldSize: o.phase === 'decide' ? 1 : run.worldSize, units, ...stats, seconds: (performance.now() - t0) / 1000, host: hostname() })}\n`);
    await writeFileAtomic(marker('completions'), JSON.stringify({ time: new Date().toISOString() }));
    return { runDir, skipped: false };
  } catch (e) {
    const exitCode = e instanceof UsageError ? 2 : 1;
    await writeFileAtomic(marker('failures'), JSON.stringify({ message: (e as Error)?.message ?? String(e), exitCode, time: new Date().toISOString(), host: hostname(), pid: process.pid })).catch(() => undefined);
    throw e;
  }
}
