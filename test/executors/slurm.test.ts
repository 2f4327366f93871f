import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chatmill } from '../helpers/cli.js';
import { events, launchStandIn, maxConcurrent, project } from './helpers.js';
import { haveSlurm, requireSlurm, sh, waitForJobs } from './slurm-cluster.js';

const startedMarker = (runDir: string, phase: string, rank: number) => join(runDir, 'phases', phase, 'started', String(rank).padStart(5, '0'));
const jobIds = (stdout: string) => stdout.trim().split('\n').filter(Boolean);

describe.skipIf(!haveSlurm && !requireSlurm)('launch --executor slurm on a real single-node Slurm (stand-in ranks)', () => {
  it('is required here and answers', () => {
    expect(haveSlurm, 'CHATMILL_REQUIRE_SLURM=1 but sinfo fails: start the cluster with scripts/slurm/start.sh').toBe(true);
  });

  it('submits one array per phase with %K, chained afterok, the merge last; a second launch while queued is refused', async () => {
    const p = project();
    const env = { CHATMILL_STANDIN_TASKS: '4', CHATMILL_STANDIN_SLEEP_MS: '1500' };
    const r = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '4', '--workers', '2'], env);
    expect(r.stderr).toContain('launch: phase map: job');
    expect(r.code).toBe(0);
    const ids = jobIds(r.stdout);
    expect(ids).toHaveLength(4); // map, decide, apply, merge
    const map = sh('scontrol', ['show', 'job', ids[0]]);
    expect(map).toMatch(/ArrayTaskThrottle=2/);
    const decide = sh('scontrol', ['show', 'job', ids[1]]);
    expect(decide).toMatch(new RegExp(`Dependency=afterok:${ids[0]}(_\\*)?`));

    const again = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '4'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/still has \d+ job\(s\) in Slurm's queue/);

    await waitForJobs(ids);
    const evs = events(p.events);
    expect(evs.some((e) => e.ev === 'refuse')).toBe(false);
    expect(evs.filter((e) => e.ev === 'end' && e.phase === 'map').map((e) => e.rank).sort()).toEqual([0, 1, 2, 3]);
    expect(evs.filter((e) => e.ev === 'end' && e.phase === 'apply')).toHaveLength(4);
    expect(maxConcurrent(evs, 'map')).toBeLessThanOrEqual(2);
    expect(evs.at(-1)!.ev).toBe('merge');
    expect(JSON.parse(readFileSync(join(p.runDir, 'merged.json'), 'utf8'))).toEqual({ apply: 4 });
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.executor).toBe('slurm');
    expect(status.complete).toBe(true);
  });

  it('a failed rank cancels the later phases; launch again submits only that rank (--array=2), with the world size explicit', async () => {
    const p = project();
    const first = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '4'], { CHATMILL_STANDIN_TASKS: '4', CHATMILL_STANDIN_FAIL: 'map:2' });
    expect(first.code).toBe(0);
    await waitForJobs(jobIds(first.stdout));
    expect(events(p.events).some((e) => e.phase === 'decide')).toBe(false);
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.phases[0].ranks.map((x: { state: string }) => x.state)).toEqual(['done', 'done', 'failed', 'done']);

    rmSync(p.events);
    const second = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '4'], { CHATMILL_STANDIN_TASKS: '4' });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/phase map: job \d+, ranks 2\n/);
    const ids = jobIds(second.stdout);
    expect(sh('scontrol', ['show', 'job', ids[0]])).toMatch(/ArrayTaskId=2\b/);
    await waitForJobs(ids);
    const evs = events(p.events);
    const mapStarts = evs.filter((e) => e.ev === 'start' && e.phase === 'map');
    // Slurm says this array has 1 task; the rank still knows the world is 4.
    expect(mapStarts.map((e) => [e.rank, e.world, e.slurm?.count])).toEqual([[2, 4, '1']]);
    expect(evs.filter((e) => e.ev === 'end' && e.phase === 'apply')).toHaveLength(4);
    expect(existsSync(join(p.runDir, 'merged.json'))).toBe(true);
  });

  it('a rank cancelled mid-run with scancel shows as stopped and is redone alone', async () => {
    const p = project();
    const env = { CHATMILL_STANDIN_TASKS: '3', CHATMILL_STANDIN_SLEEP_MS: '4000' };
    const first = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '3', '--workers', '1'], env);
    expect(first.code).toBe(0);
    const ids = jobIds(first.stdout);
    const until = Date.now() + 120_000;
    while (!existsSync(startedMarker(p.runDir, 'map', 1)) && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    expect(spawnSync('scancel', [`${ids[0]}_1`]).status).toBe(0);
    await waitForJobs(ids);
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.phases[0].ranks.map((x: { state: string }) => x.state)).toEqual(['done', 'stopped', 'done']);
    expect(status.phases[1].ranks[0].state).toBe('pending');

    rmSync(p.events);
    const second = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', '3'], { ...env, CHATMILL_STANDIN_SLEEP_MS: '50' });
    expect(second.code).toBe(0);
    await waitForJobs(jobIds(second.stdout));
    const starts = events(p.events).filter((e) => e.ev === 'start');
    expect(starts.filter((e) => e.phase === 'map').map((e) => e.rank)).toEqual([1]);
    expect(existsSync(join(p.runDir, 'merged.json'))).toBe(true);
  });

  it("cuts a phase above MaxArraySize into arrays Slurm accepts (sbatch --test-only), where one array is refused", async () => {
    const p = project();
    const max = Number(/^MaxArraySize\s*=\s*(\d+)/m.exec(sh('scontrol', ['show', 'config']))![1]);
    const tasks = max + 5;
    const r = await launchStandIn(p, [p.pipeline, '--executor', 'slurm', '--tasks', String(tasks), '--workers', '10', '--dry-run']);
    expect(r.code).toBe(0);
    const mapLines = r.stderr.split('\n').filter((l) => l.includes('map.sbatch'));
    expect(mapLines).toHaveLength(2);
    const script = join(p.runDir, 'slurm', 'map.sbatch');
    for (const line of mapLines) {
      const array = /--array=(\S+)/.exec(line)![1];
      const test = spawnSync('sbatch', ['--test-only', `--array=${array}`, script], { encoding: 'utf8' });
      expect(test.stderr).not.toMatch(/error/i);
      expect(test.status).toBe(0);
    }
    expect(mapLines[1]).toContain(`CHATMILL_RANK_OFFSET=${max}`);
    const whole = spawnSync('sbatch', ['--test-only', `--array=0-${tasks - 1}`, script], { encoding: 'utf8' });
    expect(whole.status).not.toBe(0);
  });
});
