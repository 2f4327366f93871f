import { UsageError } from '../types.js';

export interface RankWorld {
  rank: number;
  worldSize: number;
  /** Where the numbers came from, for messages: `--rank/--world-size`, `CHATMILL_RANK`, `SLURM_ARRAY_TASK_ID`... */
  from: string;
}

type Env = Record<string, string | undefined>;

function count(value: string | number | undefined, what: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * This process's rank and the world size: from the flags, else from the environment the scheduler sets,
 * in this order: CHATMILL_RANK + CHATMILL_WORLD_SIZE; Slurm job arrays (SLURM_ARRAY_TASK_ID +
 * SLURM_ARRAY_TASK_COUNT); Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, world size from
 * CHATMILL_WORLD_SIZE since Kubernetes does not give it); AWS Batch arrays (AWS_BATCH_JOB_ARRAY_INDEX, world
 * size from CHATMILL_WORLD_SIZE). Undefined when neither flags nor environment name a rank.
 *
 * A Slurm array submitted as `--array=0-N-1` numbers its tasks from 0, which is what a rank is; an array
 * that starts elsewhere would give ranks past the world size, which is refused below.
 */
export function resolveRank(flags: { rank?: number; worldSize?: number }, env: Env = process.env): RankWorld | undefined {
  const sources: [string, string | number | undefined, string | number | undefined][] = [
    ['--rank/--world-size', flags.rank, flags.worldSize ?? env.CHATMILL_WORLD_SIZE],
    ['CHATMILL_RANK/CHATMILL_WORLD_SIZE', env.CHATMILL_RANK, env.CHATMILL_WORLD_SIZE],
    ['SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT', env.SLURM_ARRAY_TASK_ID, env.SLURM_ARRAY_TASK_COUNT ?? env.CHATMILL_WORLD_SIZE],
    ['JOB_COMPLETION_INDEX/CHATMILL_WORLD_SIZE', env.JOB_COMPLETION_INDEX, env.CHATMILL_WORLD_SIZE],
    ['AWS_BATCH_JOB_ARRAY_INDEX/CHATMILL_WORLD_SIZE', env.AWS_BATCH_JOB_ARRAY_INDEX, env.CHATMILL_WORLD_SIZE],
  ];
  for (const [from, r, w] of sources) {
    const rank = count(r, `rank (${from})`, 0);
    if (rank === undefined) continue;
    const worldSize = count(flags.worldSize ?? w, `world size (${flags.worldSize !== undefined ? '--world-size' : from})`, 1);
    if (worldSize === undefined) throw new UsageError(`${from}: a rank (${rank}) without a world size; pass --world-size N or set CHATMILL_WORLD_SIZE`);
    if (rank >= worldSize) throw new UsageError(`${from}: rank ${rank} is outside a world of ${worldSize} (ranks are 0..${worldSize - 1})`);
    return { rank, worldSize, from };
  }
  if (flags.worldSize !== undefined) throw new UsageError('--world-size without --rank: name this process\'s rank too (or set CHATMILL_RANK)');
  return undefined;
}
