/**
 * Each rank's state in each phase, read from the run directory's markers (and, for a Slurm launch, from squeue):
 * - done:    its completion marker exists;
 * - failed:  a failure marker and no completion, and nothing queued or running for it;
 * - running: Slurm says it runs, or it started on this host and its process is alive, or it started elsewhere
 *            and nothing says it stopped;
 * - pending: not started yet (queued in Slurm, or never submitted);
 * - stopped: it started but its process is gone without a marker (kill -9, scancel, a lost node), or its
 *            completion marker was lost: a re-launch runs it again.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { markerPath } from '../distributed/run-dir.js';
import { pidAlive } from '../outputs/atomic.js';
import { UsageError } from '../types.js';
import { PHASES, phaseWorldSize, readLaunchRecord, type ExecutorName, type Phase } from './executor.js';

export type RankState = 'done' | 'failed' | 'running' | 'pending' | 'stopped';
export const RANK_STATES: readonly RankState[] = ['done', 'failed', 'running', 'pending', 'stopped'];

export interface PhaseStatus {
  phase: Phase;
  counts: Record<RankState, number>;
  ranks: Array<{ rank: number; state: RankState; detail?: string }>;
}

export interface RunStatus {
  runDir: string;
  executor?: ExecutorName;
  worldSize: number;
  phases: PhaseStatus[];
  /** Slurm: the merge job's queue state, when it is still queued. */
  mergeQueue?: string;
  /**
   * done: <out>/summary.json (written last by merge) is newer than every apply completion; else pending,
   * or unknown when the output folder cannot be told.
   */
  merge: 'done' | 'pending' | 'unknown';
  /** Every phase and the merge are done. */
  complete: boolean;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The world size from run.json (its key as the contract's run-dir module writes it) or from launch.json. */
function worldSizeOf(run: Record<string, unknown> | undefined, launchTasks: number | undefined): number | undefined {
  const v = run?.world_size ?? run?.worldSize ?? launchTasks;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

export async function runStatus(runDir: string, opts: { squeue?: boolean } = {}): Promise<RunStatus> {
  const run = await readJson(join(runDir, 'run.json'));
  const launch = await readLaunchRecord(runDir);
  if (!run && !launch) throw new UsageError(`${runDir}: not a run directory (no run.json)`);
  const world = worldSizeOf(run, launch?.tasks);
  if (!world) throw new UsageError(`${runDir}/run.json: no world size in it`);

  // Slurm: which (phase, rank) squeue still holds, and in which state.
  const queued = new Map<string, string>();
  let merge: string | undefined;
  if (launch?.executor === 'slurm' && opts.squeue !== false) {
    const { queuedJobs } = await import('./slurm.js');
    const offsets = new Map<string, number>();
    for (const s of launch.submissions) for (const j of s.jobs) offsets.set(j.id, j.offset);
    for (const q of await queuedJobs(runDir)) {
      if (q.phase === 'merge') merge = q.state;
      else if (/^\d+$/.test(q.taskId)) queued.set(`${q.phase}/${(offsets.get(q.arrayJobId) ?? 0) + Number(q.taskId)}`, q.state);
    }
  }

  const here = hostname();
  const phases: PhaseStatus[] = [];
  for (const phase of PHASES) {
    const counts = Object.fromEntries(RANK_STATES.map((s) => [s, 0])) as Record<RankState, number>;
    const ranks: PhaseStatus['ranks'] = [];
    for (let rank = 0; rank < phaseWorldSize(phase, world); rank++) {
      let state: RankState;
      let detail: string | undefined;
      const slurmState = queued.get(`${phase}/${rank}`);
      if (existsSync(markerPath(runDir, phase, rank, 'completions'))) state = 'done';
      else if (slurmState) {
        state = slurmState === 'RUNNING' || slurmState === 'COMPLETING' ? 'running' : 'pending';
        detail = `slurm ${slurmState}`;
      } else {
        const failure = await readJson(markerPath(runDir, phase, rank, 'failures'));
        const started = await readJson(markerPath(runDir, phase, rank, 'started'));
        if (failure) {
          state = 'failed';
          detail = typeof failure.message === 'string' ? failure.message : undefined;
        } else if (started) {
          const pid = typeof started.pid === 'number' ? started.pid : undefined;
          const sameHost = started.host === here;
          // A Slurm task that squeue no longer lists, or a local process that is gone, stopped without a marker.
          const gone = launch?.executor === 'slurm' ? opts.squeue !== false : sameHost && pid !== undefined && !pidAlive(pid);
          state = gone ? 'stopped' : 'running';
          detail = `started ${String(started.time ?? '')} on ${String(started.host ?? '?')} pid ${pid ?? '?'}`;
        } else state = 'pending';
      }
      counts[state]++;
      ranks.push({ rank, state, ...(detail ? { detail } : {}) });
    }
    phases.push({ phase, counts, ranks });
  }
  const phasesDone = phases.every((p) => p.counts.done === p.ranks.length);
  const mergeState = phasesDone ? await mergeDone(runDir, run, launch?.cwd, world) : 'pending';
  return { runDir, executor: launch?.executor, worldSize: world, phases, ...(merge ? { mergeQueue: merge } : {}), merge: mergeState, complete: phasesDone && mergeState === 'done' };
}

async function mergeDone(runDir: string, run: Record<string, unknown> | undefined, cwd: string | undefined, world: number): Promise<RunStatus['merge']> {
  if (typeof run?.out !== 'string') return 'unknown';
  const mtime = (p: string) => stat(p).then((s) => s.mtimeMs, () => undefined);
  const summary = await mtime(join(resolve(cwd ?? process.cwd(), run.out), 'summary.json'));
  if (summary === undefined) return 'pending';
  for (let rank = 0; rank < world; rank++) {
    const done = await mtime(markerPath(runDir, 'apply', rank, 'completions'));
    if (done !== undefined && done > summary) return 'pending';
  }
  return 'done';
}
