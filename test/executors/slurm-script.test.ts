import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arrayChunks, arraySpec, phaseScript, mergeScript } from '../../src/executors/slurm.js';
import { compressRanges, type LaunchSpec } from '../../src/executors/executor.js';

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  pipelinePath: "pipelines/it's.yaml", runDir: '/shared/run dir', tasks: 4, workers: 2, cli: ['/usr/bin/node', '/opt/chatmill/dist/src/cli/main.js'],
  dryRun: true, resources: { partition: 'cpu', time: '2:00:00', cpusPerTask: 4, mem: '8G' }, say: () => undefined, ...over,
});

describe('Slurm arrays and scripts', () => {
  it('writes rank lists the way --array takes them', () => {
    expect(compressRanges([0, 1, 2, 3])).toBe('0-3');
    expect(compressRanges([1, 3])).toBe('1,3');
    expect(compressRanges([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
  });

  it('keeps every task id below MaxArraySize, and each rank in exactly one array', () => {
    const ranks = Array.from({ length: 2500 }, (_, i) => i);
    const chunks = arrayChunks(ranks, 1001);
    expect(chunks.map((c) => c.offset)).toEqual([0, 1001, 2002]);
    expect(chunks.every((c) => Math.max(...c.taskIds) <= 1000)).toBe(true);
    expect(chunks.flatMap((c) => c.taskIds.map((t) => t + c.offset))).toEqual(ranks);
    // A re-submission of a few ranks past the limit: the ids are relative to their array's offset.
    expect(arrayChunks([3, 1500], 1001)).toEqual([{ offset: 0, taskIds: [3] }, { offset: 1001, taskIds: [499] }]);
  });

  it('shares %K between the arrays of one phase, and leaves it off when it would not limit anything', () => {
    expect(arraySpec({ offset: 0, taskIds: [0, 1, 2, 3] }, 2, 1)).toBe('0-3%2');
    expect(arraySpec({ offset: 0, taskIds: [0, 1, 2, 3] }, 4, 1)).toBe('0-3');
    expect(arraySpec({ offset: 0, taskIds: Array.from({ length: 1001 }, (_, i) => i) }, 64, 3)).toBe('0-1000%22');
    expect(arraySpec({ offset: 0, taskIds: [0, 1] }, 1, 3)).toBe('0-1%1');
  });

  it('writes scripts bash accepts, with the rank from the offset plus the task id and the world size explicit', () => {
    const s = phaseScript(spec(), 'map');
    expect(s).toContain('#SBATCH --partition=cpu\n#SBATCH --time=2:00:00\n#SBATCH --cpus-per-task=4\n#SBATCH --mem=8G');
    // sbatch parses #SBATCH lines itself and takes a double-quoted value whole (checked on the real Slurm).
    expect(s).toContain('#SBATCH --output="/shared/run dir/logs/slurm/map-%A_%a.log"');
    expect(s).toContain(`exec /usr/bin/node /opt/chatmill/dist/src/cli/main.js run 'pipelines/it'\\''s.yaml' --phase map --rank "$rank" --world-size 4 --run-dir '/shared/run dir'`);
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-sbatch-'));
    // Run the script's own lines with a stand-in for the CLI: bash must parse the quoting and compute the rank.
    const probe = phaseScript(spec({ cli: ['printf', '%s|'] }), 'apply');
    writeFileSync(join(dir, 'apply.sbatch'), probe);
    const r = spawnSync('bash', [join(dir, 'apply.sbatch')], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: '7', CHATMILL_RANK_OFFSET: '1001' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("run|pipelines/it's.yaml|--phase|apply|--rank|1008|--world-size|4|--run-dir|/shared/run dir|");
    writeFileSync(join(dir, 'merge.sbatch'), mergeScript(spec({ cli: ['printf', '%s|'] })));
    expect(spawnSync('bash', [join(dir, 'merge.sbatch')], { encoding: 'utf8' }).stdout).toBe('merge|/shared/run dir|');
  });
});
