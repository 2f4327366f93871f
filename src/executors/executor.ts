/**
 * What every executor shares: the phases and their ranks, the command that runs one rank of one phase, and the
 * completion markers that make a launch resumable. An executor only decides *where* those commands run (local
 * processes, a Slurm array, a Kubernetes Indexed Job); the pipeline knows nothing of it (datatrove's model).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markerPath } from '../distributed/run-dir.js';
import { writeFileAtomic } from '../outputs/atomic.js';

/** The contract's phases, in the order they must run; the merge follows the last one. */
export const PHASES = ['map', 'decide', 'apply'] as const;
export type Phase = (typeof PHASES)[number];
export const EXECUTOR_NAMES = ['local', 'slurm', 'kubernetes'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

/** decide is one task (rank 0 of a world of 1); map and apply run one task per rank. */
export const phaseWorldSize = (phase: Phase, tasks: number): number => (phase === 'decide' ? 1 : tasks);

export interface ResourceRequest {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
}

export interface LaunchSpec {
  pipelinePath: string;
  /** Absolute run directory (shared storage for every rank). */
  runDir: string;
  /** Passed on to every rank and the merge as `--out` when the user gave one. */
  out?: string;
  tasks: number;
  /** At most this many ranks of a phase at once. */
  workers: number;
  /** The command that runs chatmill, e.g. `[node, /abs/dist/src/cli/main.js]` or `[chatmill]`. */
  cli: string[];
  dryRun: boolean;
  resources: ResourceRequest;
  /** Kubernetes only. */
  kubernetes?: { image: string; claim: string; mountPath: string; retriesPerIndex: number; namespace?: string };
  /** Progress lines for the user (stderr). */
  say: (line: string) => void;
}

export interface LaunchOutcome {
  /** 0 when everything asked for finished (local) or was submitted (slurm) or written (kubernetes). */
  exitCode: number;
  /** Slurm job ids, in submission order. */
  jobIds?: string[];
  /** Files written (scripts, manifests). */
  files?: string[];
}

export interface Executor {
  readonly name: ExecutorName;
  launch(spec: LaunchSpec): Promise<LaunchOutcome>;
}

/** The arguments after the CLI for one rank of one phase (explicit rank and world: env is never guessed). */
export function rankArgs(spec: Pick<LaunchSpec, 'pipelinePath' | 'runDir' | 'out' | 'tasks'>, phase: Phase, rank: number | string): string[] {
  return [
    'run', spec.pipelinePath, '--phase', phase, '--rank', String(rank), '--world-size', String(phaseWorldSize(phase, spec.tasks)),
    '--run-dir', spec.runDir, ...(spec.out ? ['--out', spec.out] : []),
  ];
}

export const mergeArgs = (spec: Pick<LaunchSpec, 'runDir'>): string[] => ['merge', spec.runDir];

export const rankName = (rank: number): string => String(rank).padStart(5, '0');

/** Ranks of a phase without a completion marker: the only ones a re-launch runs again. */
export function incompleteRanks(runDir: string, phase: Phase, tasks: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < phaseWorldSize(phase, tasks); r++) if (!existsSync(markerPath(runDir, phase, r, 'completions'))) out.push(r);
  return out;
}

/**
 * `launch.json` in the run directory: which executor launched it with how many tasks, and (Slurm) the job ids
 * of each submission, so `chatmill status` can ask squeue about exactly this run's jobs.
 */
export interface LaunchRecord {
  executor: ExecutorName;
  tasks: number;
  workers: number;
  pipeline: string;
  /** The directory launch ran in: run.json's relative paths (the output folder) are relative to it. */
  cwd?: string;
  submissions: Array<{ time: string; jobs: Array<{ phase: Phase | 'merge'; id: string; offset: number; ranks: number[] }> }>;
}

export const launchRecordPath = (runDir: string): string => join(runDir, 'launch.json');

export async function readLaunchRecord(runDir: string): Promise<LaunchRecord | undefined> {
  try {
    return JSON.parse(await readFile(launchRecordPath(runDir), 'utf8')) as LaunchRecord;
  } catch {
    return undefined;
  }
}

export async function writeLaunchRecord(runDir: string, record: LaunchRecord): Promise<void> {
  await writeFileAtomic(launchRecordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Quote one word for a POSIX shell script (sbatch scripts, the kubectl helper). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A sorted rank list as ranges, the form Slurm's `--array` takes: [0,1,2,5,7,8] → "0-2,5,7-8".
 */
export function compressRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
