/**
 * The Slurm executor: one sbatch script per phase under `<run dir>/slurm/`, submitted as a job array over the
 * phase's incomplete ranks (`--array=0-3%K`, or `--array=1,3` on a re-launch), each phase chained to the one
 * before with `--dependency=afterok`, and the merge job last. It prints the job ids and returns; the markers
 * and `chatmill status` say how the run is going.
 *
 * Arrays are cut at Slurm's MaxArraySize (default 1001: task ids 0..1000). A phase with more ranks is
 * submitted as several arrays of the same script, each told its first rank through CHATMILL_RANK_OFFSET, and the
 * next phase waits on all of them. The world size is always passed explicitly: SLURM_ARRAY_TASK_COUNT is the
 * size of *this* array, which is not N for a chunk or a re-submission of some ranks.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../outputs/atomic.js';
import { UsageError } from '../types.js';
import {
  PHASES, compressRanges, incompleteRanks, mergeArgs, rankArgs, readLaunchRecord, shellQuote, writeLaunchRecord,
  type Executor, type LaunchOutcome, type LaunchRecord, type LaunchSpec, type Phase,
} from './executor.js';

const run = promisify(execFile);

/** Slurm's default MaxArraySize: array task ids must be below it. */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** Job names carry a short hash of the run directory, so squeue can find exactly this run's jobs. */
export const slurmJobName = (runDir: string, phase: Phase | 'merge'): string =>
  `cm-${createHash('sha256').update(runDir).digest('hex').slice(0, 8)}-${phase}`;

export interface ArrayChunk {
  /** The rank of task id 0 of this array. */
  offset: number;
  /** Task ids (rank - offset), sorted. */
  taskIds: number[];
}

/**
 * Split ranks into arrays whose task ids stay below maxArraySize: rank r goes to the array with offset
 * floor(r / maxArraySize) * maxArraySize, as task id r - offset.
 */
export function arrayChunks(ranks: readonly number[], maxArraySize: number): ArrayChunk[] {
  const byOffset = new Map<number, number[]>();
  for (const r of ranks) {
    const offset = Math.floor(r / maxArraySize) * maxArraySize;
    let ids = byOffset.get(offset);
    if (!ids) byOffset.set(offset, (ids = []));
    ids.push(r - offset);
  }
  return [...byOffset.entries()].sort((a, b) => a[0] - b[0]).map(([offset, ids]) => ({ offset, taskIds: ids.sort((a, b) => a - b) }));
}

/**
 * `--array` value for one chunk. `%K` caps how many of its tasks run at once; when a phase is cut into several
 * arrays, K is shared out between them (at least 1 each), so the cap holds for the phase as a whole unless
 * there are more arrays than K.
 */
export function arraySpec(chunk: ArrayChunk, workers: number, chunks: number): string {
  const cap = Math.max(1, Math.ceil(workers / chunks));
  const list = compressRanges(chunk.taskIds);
  return cap < chunk.taskIds.length ? `${list}%${cap}` : list;
}

/** Read MaxArraySize from the controller; the default when scontrol cannot say. */
export async function maxArraySize(): Promise<number> {
  try {
    const { stdout } = await run('scontrol', ['show', 'config'], { timeout: 15_000 });
    const m = /^MaxArraySize\s*=\s*(\d+)/m.exec(stdout);
    return m ? Number(m[1]) : DEFAULT_MAX_ARRAY_SIZE;
  } catch {
    return DEFAULT_MAX_ARRAY_SIZE;
  }
}

/**
 * sbatch reads `#SBATCH` lines itself (not through a shell): it takes a value in double quotes whole, and has
 * no escape for a double quote or a line break, so those are refused rather than written altered.
 */
function directive(v: string): string {
  if (/["\n\r]/.test(v)) throw new UsageError(`--executor slurm: ${JSON.stringify(v)} holds a double quote or a line break, which an #SBATCH line cannot carry`);
  return /\s/.test(v) ? `"${v}"` : v;
}

function header(spec: LaunchSpec, name: string, output: string): string[] {
  const r = spec.resources;
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${name}`,
    `#SBATCH --output=${directive(output)}`,
    `#SBATCH --chdir=${directive(process.cwd())}`,
    ...(r.partition ? [`#SBATCH --partition=${directive(r.partition)}`] : []),
    ...(r.time ? [`#SBATCH --time=${directive(r.time)}`] : []),
    ...(r.cpusPerTask ? [`#SBATCH --cpus-per-task=${r.cpusPerTask}`] : []),
    ...(r.mem ? [`#SBATCH --mem=${directive(r.mem)}`] : []),
    'set -eu',
  ];
}

/** The sbatch script of one phase; the same file serves every chunk and every re-submission. */
export function phaseScript(spec: LaunchSpec, phase: Phase): string {
  const RANK = '\u0000rank';
  const cmd = [...spec.cli, ...rankArgs(spec, phase, RANK)].map((w) => (w === RANK ? '"$rank"' : shellQuote(w))).join(' ');
  return [
    ...header(spec, slurmJobName(spec.runDir, phase), join(spec.runDir, 'logs', 'slurm', `${phase}-%A_%a.log`)),
    '# This task\'s rank: the array\'s first rank (set by chatmill launch when a phase is cut into several arrays)',
    '# plus the task id.',
    'rank=$(( ${CHATMILL_RANK_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))',
    `exec ${cmd}`,
    '',
  ].join('\n');
}

export function mergeScript(spec: LaunchSpec): string {
  return [
    ...header(spec, slurmJobName(spec.runDir, 'merge'), join(spec.runDir, 'logs', 'slurm', 'merge-%j.log')),
    `exec ${[...spec.cli, ...mergeArgs(spec)].map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

/** This run's jobs still known to squeue, as `id phase state` lines; empty when none or squeue is absent. */
export async function queuedJobs(runDir: string): Promise<Array<{ arrayJobId: string; taskId: string; phase: string; state: string }>> {
  const names = [...PHASES, 'merge' as const].map((p) => slurmJobName(runDir, p));
  try {
    const { stdout } = await run('squeue', ['-h', '-r', '--name', names.join(','), '-o', '%A|%a|%j|%T'], { timeout: 15_000 });
    return stdout.split('\n').filter(Boolean).map((line) => {
      const [arrayJobId, taskId, name, state] = line.split('|');
      return { arrayJobId, taskId, phase: name.slice(name.lastIndexOf('-') + 1), state };
    });
  } catch {
    return [];
  }
}

async function sbatch(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('sbatch', ['--parsable', ...args], { timeout: 60_000 });
    return stdout.trim().split(';')[0];
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UsageError('--executor slurm: sbatch not found on this machine (run launch on a Slurm login node)');
    throw new Error(`sbatch ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** Stands for the `--dependency=afterok:...` argument until the ids it names are known. */
const DEPENDENCY = '\u0000dependency';

/** sbatch arguments as shell words; the dependency names shell variables, so it is double-quoted, not single. */
const shellWords = (args: string[], vars: string[]): string =>
  args.map((a) => (a === DEPENDENCY ? `"--dependency=afterok:${vars.join(':')}"` : shellQuote(a))).join(' ');

export const slurmExecutor: Executor = {
  name: 'slurm',
  async launch(spec: LaunchSpec): Promise<LaunchOutcome> {
    const dir = join(spec.runDir, 'slurm');
    await mkdir(dir, { recursive: true });
    // Slurm does not create the directory of --output: a missing one fails every task silently.
    await mkdir(join(spec.runDir, 'logs', 'slurm'), { recursive: true });
    const files: string[] = [];
    for (const phase of PHASES) {
      const file = join(dir, `${phase}.sbatch`);
      await writeFileAtomic(file, phaseScript(spec, phase));
      files.push(file);
    }
    const mergeFile = join(dir, 'merge.sbatch');
    await writeFileAtomic(mergeFile, mergeScript(spec));
    files.push(mergeFile);

    if (!spec.dryRun) {
      // Submitting again while this run's jobs are still queued would run ranks twice at the same time.
      const queued = await queuedJobs(spec.runDir);
      if (queued.length) {
        const ids = [...new Set(queued.map((q) => q.arrayJobId))].join(',');
        throw new UsageError(`this run still has ${queued.length} job(s) in Slurm's queue (job ${ids}): wait for them, or scancel ${ids}, then launch again`);
      }
    }

    const limit = spec.dryRun ? DEFAULT_MAX_ARRAY_SIZE : await maxArraySize();
    const record: LaunchRecord = (await readLaunchRecord(spec.runDir)) ?? { executor: 'slurm', tasks: spec.tasks, workers: spec.workers, pipeline: spec.pipelinePath, submissions: [] };
    const submission: LaunchRecord['submissions'][number] = { time: new Date().toISOString(), jobs: [] };
    let previous: string[] = [];
    const common = ['--kill-on-invalid-dep=yes'];
    for (const phase of PHASES) {
      const ranks = incompleteRanks(spec.runDir, phase, spec.tasks);
      if (!ranks.length) {
        spec.say(`launch: phase ${phase}: every rank already complete, not submitted`);
        continue;
      }
      const chunks = arrayChunks(ranks, limit);
      const ids: string[] = [];
      for (const chunk of chunks) {
        const args = [
          ...common,
          `--array=${arraySpec(chunk, spec.workers, chunks.length)}`,
          `--export=ALL,CHATMILL_RANK_OFFSET=${chunk.offset}`,
          ...(previous.length ? [DEPENDENCY] : []),
          join(dir, `${phase}.sbatch`),
        ];
        const ranksHere = chunk.taskIds.map((t) => t + chunk.offset);
        if (spec.dryRun) {
          // Printed as shell lines a user can paste: each id kept in a variable for the next phase's dependency.
          const id = `${phase.toUpperCase()}${chunks.length > 1 ? `_${chunk.offset}` : ''}`;
          spec.say(`${id}=$(sbatch --parsable ${shellWords(args, previous.map((v) => `$${v}`))})`);
          ids.push(id);
        } else {
          const id = await sbatch(args.map((a) => (a === DEPENDENCY ? `--dependency=afterok:${previous.join(':')}` : a)));
          spec.say(`launch: phase ${phase}: job ${id}, ranks ${compressRanges(ranksHere)}`);
          submission.jobs.push({ phase, id, offset: chunk.offset, ranks: ranksHere });
          ids.push(id);
        }
      }
      previous = ids;
    }
    const mergeArgv = [...common, ...(previous.length ? [DEPENDENCY] : []), mergeFile];
    if (spec.dryRun) {
      spec.say(`sbatch --parsable ${shellWords(mergeArgv, previous.map((v) => `$${v}`))}`);
      return { exitCode: 0, files };
    }
    const mergeId = await sbatch(mergeArgv.map((a) => (a === DEPENDENCY ? `--dependency=afterok:${previous.join(':')}` : a)));
    spec.say(`launch: merge: job ${mergeId}`);
    submission.jobs.push({ phase: 'merge', id: mergeId, offset: 0, ranks: [] });
    record.submissions.push(submission);
    record.executor = 'slurm';
    record.cwd = process.cwd();
    record.tasks = spec.tasks;
    record.workers = spec.workers;
    await writeLaunchRecord(spec.runDir, record);
    const jobIds = submission.jobs.map((j) => j.id);
    process.stdout.write(`${jobIds.join('\n')}\n`);
    return { exitCode: 0, jobIds, files };
  },
};
