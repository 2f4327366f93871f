import { describe, expect, it } from 'vitest';
import { resolveRank } from '../../src/distributed/rank.js';
import { UsageError } from '../../src/types.js';

describe('rank and world size: flags, else the scheduler environment, in the issue\'s order', () => {
  it('flags win over every environment variable', () => {
    expect(resolveRank({ rank: 2, worldSize: 5 }, { CHATMILL_RANK: '1', CHATMILL_WORLD_SIZE: '3', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '9' })).toMatchObject({ rank: 2, worldSize: 5 });
  });
  it('CHATMILL_* before Slurm before Kubernetes before AWS Batch', () => {
    const env = { CHATMILL_RANK: '1', CHATMILL_WORLD_SIZE: '4', SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '8', JOB_COMPLETION_INDEX: '3', AWS_BATCH_JOB_ARRAY_INDEX: '5' };
    expect(resolveRank({}, env)).toMatchObject({ rank: 1, worldSize: 4, from: 'CHATMILL_RANK/CHATMILL_WORLD_SIZE' });
    expect(resolveRank({}, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '8', JOB_COMPLETION_INDEX: '3' })).toMatchObject({ rank: 2, worldSize: 8 });
    expect(resolveRank({}, { JOB_COMPLETION_INDEX: '3', CHATMILL_WORLD_SIZE: '4', AWS_BATCH_JOB_ARRAY_INDEX: '1' })).toMatchObject({ rank: 3, worldSize: 4, from: 'JOB_COMPLETION_INDEX/CHATMILL_WORLD_SIZE' });
    expect(resolveRank({}, { AWS_BATCH_JOB_ARRAY_INDEX: '1', CHATMILL_WORLD_SIZE: '2' })).toMatchObject({ rank: 1, worldSize: 2 });
  });
  it('--world-size alone completes a rank from the environment', () => {
    expect(resolveRank({ worldSize: 6 }, { JOB_COMPLETION_INDEX: '5' })).toMatchObject({ rank: 5, worldSize: 6 });
  });
  it('nothing named: no rank (run stays one process)', () => {
    expect(resolveRank({}, {})).toBeUndefined();
  });
  it('refuses a Kubernetes index without a world size, a rank outside the world, and non-numbers', () => {
    expect(() => resolveRank({}, { JOB_COMPLETION_INDEX: '0' })).toThrow(/without a world size.*CHATMILL_WORLD_SIZE/);
    expect(() => resolveRank({ rank: 4, worldSize: 4 }, {})).toThrow(/rank 4 is outside a world of 4/);
    expect(() => resolveRank({}, { CHATMILL_RANK: 'x', CHATMILL_WORLD_SIZE: '2' })).toThrow(UsageError);
    expect(() => resolveRank({}, { CHATMILL_RANK: '0', CHATMILL_WORLD_SIZE: '0' })).toThrow(/world size.*≥ 1/);
  });
});
