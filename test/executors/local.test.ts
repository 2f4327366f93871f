import { describe, it, expect } from 'vitest';
import { existsSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatmill } from '../helpers/cli.js';
import { events, launchStandIn, maxConcurrent, project } from './helpers.js';

const completion = (runDir: string, phase: string, rank: number) => join(runDir, 'phases', phase, 'completions', String(rank).padStart(5, '0'));

describe('launch --executor local (stand-in ranks that keep the run-directory contract)', () => {
  it('runs N ranks K at a time, map → decide → apply in order, then the merge', async () => {
    const p = project();
    // Each rank sleeps long enough that two started together overlap even when process start-up is slow (a loaded
    // CI machine took over a second to start node): "K at a time" must show as exactly 2, never 3.
    const r = await launchStandIn(p, [p.pipeline, '--tasks', '5', '--workers', '2'], { CHATMILL_STANDIN_TASKS: '5', CHATMILL_STANDIN_SLEEP_MS: '2500' });
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    const evs = events(p.events);
    const starts = evs.filter((e) => e.ev === 'start');
    expect(starts.filter((e) => e.phase === 'map').map((e) => e.rank).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(starts.filter((e) => e.phase === 'decide').map((e) => [e.rank, e.world])).toEqual([[0, 1]]);
    expect(starts.filter((e) => e.phase === 'apply').map((e) => e.world)).toEqual([5, 5, 5, 5, 5]);
    expect(maxConcurrent(evs, 'map')).toBe(2);
    expect(maxConcurrent(evs, 'apply')).toBe(2);
    // Phase order: every map ends before decide starts, decide ends before any apply starts, merge is last.
    const lastEnd = (ph: string) => Math.max(...evs.filter((e) => e.phase === ph && e.ev === 'end').map((e) => e.t));
    const firstStart = (ph: string) => Math.min(...evs.filter((e) => e.phase === ph && e.ev === 'start').map((e) => e.t));
    expect(lastEnd('map')).toBeLessThanOrEqual(firstStart('decide'));
    expect(lastEnd('decide')).toBeLessThanOrEqual(firstStart('apply'));
    expect(evs.at(-1)!.ev).toBe('merge');
    expect(evs.some((e) => e.ev === 'refuse')).toBe(false);
    expect(JSON.parse(readFileSync(join(p.runDir, 'merged.json'), 'utf8'))).toEqual({ apply: 5 });
    const status = await chatmill(['status', p.runDir, '--json']);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.merge).toBe('done');
    expect(s.complete).toBe(true);
    expect(s.phases.map((ph: { counts: { done: number } }) => ph.counts.done)).toEqual([5, 1, 5]);
  });

  it('stops before the next phase when a rank fails, and a second launch runs only that rank', async () => {
    const p = project();
    const first = await launchStandIn(p, [p.pipeline, '--tasks', '4', '--workers', '4'], { CHATMILL_STANDIN_TASKS: '4', CHATMILL_STANDIN_FAIL: 'map:2' });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/phase map: 1 of 4 rank\(s\) failed \(rank 2: exit 3/);
    expect(events(p.events).some((e) => e.phase === 'decide')).toBe(false);
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.phases[0].ranks.map((r: { state: string }) => r.state)).toEqual(['done', 'done', 'failed', 'done']);
    expect(status.phases[0].ranks[2].detail).toBe('planted failure');
    expect(status.phases[1].counts.pending).toBe(1);
    expect([status.merge, status.complete]).toEqual(['pending', false]);
    const human = await chatmill(['status', p.runDir]);
    expect(human.stdout).toMatch(/map\s+3 done, 1 failed/);

    rmSync(p.events);
    const second = await launchStandIn(p, [p.pipeline, '--tasks', '4', '--workers', '4'], { CHATMILL_STANDIN_TASKS: '4' });
    expect(second.code).toBe(0);
    const evs = events(p.events);
    expect(evs.filter((e) => e.phase === 'map' && e.ev === 'start').map((e) => e.rank)).toEqual([2]);
    expect(evs.filter((e) => e.phase === 'apply' && e.ev === 'start')).toHaveLength(4);
    expect(evs.at(-1)!.ev).toBe('merge');
  });

  it('a rank killed with SIGKILL is reported stopped, and is the only one redone', async () => {
    const p = project();
    const first = await launchStandIn(p, [p.pipeline, '--tasks', '3'], { CHATMILL_STANDIN_TASKS: '3', CHATMILL_STANDIN_KILL: 'apply:1' });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/rank 1: killed by SIGKILL/);
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.phases[2].ranks.map((r: { state: string }) => r.state)).toEqual(['done', 'stopped', 'done']);
    rmSync(p.events);
    const second = await launchStandIn(p, [p.pipeline, '--tasks', '3'], { CHATMILL_STANDIN_TASKS: '3' });
    expect(second.code).toBe(0);
    expect(events(p.events).filter((e) => e.ev === 'start').map((e) => `${e.phase}:${e.rank}`)).toEqual(['apply:1']);
  });

  it('a lost completion marker makes that rank, alone, run again', async () => {
    const p = project();
    expect((await launchStandIn(p, [p.pipeline, '--tasks', '3'], { CHATMILL_STANDIN_TASKS: '3' })).code).toBe(0);
    rmSync(completion(p.runDir, 'map', 0));
    rmSync(p.events);
    const lost = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(lost.phases[0].ranks[0].state).toBe('stopped');
    expect(lost.complete).toBe(false);
    const again = await launchStandIn(p, [p.pipeline, '--tasks', '3'], { CHATMILL_STANDIN_TASKS: '3' });
    expect(again.code).toBe(0);
    expect(events(p.events).filter((e) => e.ev === 'start').map((e) => `${e.phase}:${e.rank}`)).toEqual(['map:0']);
    expect(again.stderr).toMatch(/phase decide: all 1 rank\(s\) already complete/);
  });

  it('refuses a different --tasks for the same run directory (exit 2), and --restart starts over', async () => {
    const p = project();
    expect((await launchStandIn(p, [p.pipeline, '--tasks', '2'], { CHATMILL_STANDIN_TASKS: '2' })).code).toBe(0);
    const refused = await launchStandIn(p, [p.pipeline, '--tasks', '3'], { CHATMILL_STANDIN_TASKS: '3' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/world size/);
    expect(existsSync(completion(p.runDir, 'map', 1))).toBe(true);
    rmSync(p.events);
    const restarted = await launchStandIn(p, [p.pipeline, '--tasks', '3', '--restart'], { CHATMILL_STANDIN_TASKS: '3' });
    expect(restarted.code).toBe(0);
    expect(events(p.events).filter((e) => e.ev === 'start' && e.phase === 'map')).toHaveLength(3);
  });

  it('--dry-run prints the commands and runs nothing; bad numbers are usage errors', async () => {
    const p = project();
    const r = await launchStandIn(p, [p.pipeline, '--tasks', '2', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('run p.yaml --phase map --rank 1 --world-size 2 --run-dir');
    expect(r.stderr).toContain('run p.yaml --phase decide --rank 0 --world-size 1');
    expect(r.stderr).toMatch(/merge .*\.run/);
    expect(existsSync(p.events)).toBe(false);
    for (const bad of [['--tasks', '0'], ['--tasks', '2.5'], ['--tasks', '2', '--workers', '-1']]) {
      const b = await launchStandIn(p, [p.pipeline, ...bad]);
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/must be a whole number/);
    }
    const missing = await chatmill(['status', join(p.dir, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not a run directory/);
  });

  it('a rank command that cannot be started is a failure with its reason, not a crash', async () => {
    const p = project();
    writeFileSync(join(p.dir, 'x'), '');
    const r = await chatmill(['launch', p.pipeline, '--tasks', '1'], { cwd: p.dir, env: { CHATMILL_CLI: join(p.dir, 'no-such-binary') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rank 0: could not start: .*ENOENT/);
  });
});

describe('launch --executor local while ranks of the same run are alive', () => {
  it('refuses to start a rank a second time (exit 2), and a TERM to launch stops its ranks', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const { STAND_IN } = await import('./helpers.js');
    const p = project();
    const env = { ...process.env, CHATMILL_CLI: `${process.execPath} ${STAND_IN}`, CHATMILL_STANDIN_EVENTS: p.events, CHATMILL_STANDIN_TASKS: '2', CHATMILL_STANDIN_SLEEP_MS: '60000' };
    const first = spawn(process.execPath, [BIN, 'launch', p.pipeline, '--tasks', '2'], { cwd: p.dir, env, stdio: 'ignore' });
    const firstEnded = new Promise<number | null>((res) => first.on('close', (code) => res(code)));
    const until = Date.now() + 60_000;
    while (events(p.events).filter((e) => e.ev === 'start').length < 2 && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    const second = await launchStandIn(p, [p.pipeline, '--tasks', '2'], { CHATMILL_STANDIN_TASKS: '2' });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/map rank 0 of this run is still running \(pid \d+\)/);
    first.kill('SIGTERM');
    expect(await firstEnded).not.toBe(0);
    const status = JSON.parse((await chatmill(['status', p.runDir, '--json'])).stdout);
    expect(status.phases[0].ranks.map((r: { state: string }) => r.state)).toEqual(['stopped', 'stopped']);
  });
});
