import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, chatmill } from '../helpers/cli.js';
import { names, scratchProject, snapshot } from './helpers.js';

/**
 * Issue 10, crash tests: kill -9 `chatmill run` on the bundled pipeline at several points, then check that no
 * output under its final name holds partial content (each is the previous complete run's file, byte for byte,
 * or absent), and that a re-run removes the killed run's staging folder and gives byte-identical outputs.
 *
 * Kill points: early (the staging folder has just appeared), mid-ingest (the SFT JSONL is being written), and
 * mid-export (a Parquet shard exists in the staging dataset folder). `chatmill push --dry-run` refusing the
 * killed run's dataset belongs with the manifest checks on the lead's branch (src/hub/**).
 */
const staged = (out: string, pid: number) => join(out, `.chatmill-staging-${pid}`);

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/** Start `chatmill run`, SIGKILL it as soon as `when(pid)` holds, and wait for it to be gone. */
function runAndKill(cwd: string, out: string, when: (pid: number) => boolean): Promise<{ pid: number; killedAt: 'condition' | 'exited' }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', '--out', out], { cwd, stdio: 'ignore' });
    let killedAt: 'condition' | 'exited' = 'exited';
    const timer = setInterval(() => {
      if (child.pid !== undefined && when(child.pid)) {
        killedAt = 'condition';
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve({ pid: child.pid!, killedAt });
    });
  });
}

/**
 * `out` must hold exactly `baseline` (name for name, byte for byte) plus the killed run's staging folder and its
 * lock (`<pid> <host>`, which the next run sees is stale and takes over).
 */
function expectOnly(out: string, baseline: Map<string, Buffer>, killedPid: number) {
  const now = snapshot(out);
  const prefix = `.chatmill-staging-${killedPid}/`;
  expect(now.get('.chatmill-lock')?.toString()).toBe(`${killedPid} ${hostname()}\n`);
  const finals = new Map([...now].filter(([name]) => !name.startsWith(prefix) && name !== '.chatmill-lock'));
  expect(names(finals)).toEqual(names(baseline));
  for (const [name, bytes] of baseline) expect(finals.get(name)!.equals(bytes), `${name} is the previous run's file`).toBe(true);
}

describe('kill -9 during chatmill run', () => {
  let project: string;
  let out: string;
  let baseline: Map<string, Buffer>;

  beforeAll(async () => {
    project = scratchProject();
    out = join(project, 'out');
    const r = await chatmill(['run', '--out', 'out'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    baseline = snapshot(out);
    expect(names(baseline).filter((n) => n.startsWith('.') || n.includes('/.'))).toEqual([]);
    expect(names(baseline)).toContain('dataset/manifest.json');
  });

  it('early: the previous outputs stay whole, nothing else but the staging folder', async () => {
    const k = await runAndKill(project, 'out', (pid) => existsSync(staged(out, pid)));
    expect(k.killedAt).toBe('condition');
    expectOnly(out, baseline, k.pid);
  });

  it('mid-ingest, while sft.jsonl is being written', async () => {
    const k = await runAndKill(project, 'out', (pid) => filesUnder(staged(out, pid)).some((f) => /\.sft\.jsonl\.tmp-\d+$/.test(f) && statSync(f, { throwIfNoEntry: false })!?.size > 0));
    expect(k.killedAt).toBe('condition');
    expectOnly(out, baseline, k.pid);
  });

  it('mid-export, once a Parquet shard exists in the staging dataset; also in an empty output folder', async () => {
    // Both runs at once (two cores): one over the previous run's outputs, one where no run has finished yet.
    const fresh = join(project, 'fresh');
    const shardIn = (dir: string) => (pid: number) => filesUnder(join(staged(dir, pid), 'dataset', 'data')).length > 0;
    const [k, f] = await Promise.all([runAndKill(project, 'out', shardIn(out)), runAndKill(project, 'fresh', shardIn(fresh))]);
    expect([k.killedAt, f.killedAt]).toEqual(['condition', 'condition']);
    expect(filesUnder(join(staged(out, k.pid), 'dataset', 'data')).length).toBeGreaterThan(0);
    expectOnly(out, baseline, k.pid);
    // No output appears under a final name: the folder holds the killed run's staging folder only.
    expect(readdirSync(fresh).sort()).toEqual(['.chatmill-lock', `.chatmill-staging-${f.pid}`]);
  });

  it('a re-run removes the stale staging folders, takes over the stale lock, and gives byte-identical outputs', async () => {
    expect(readdirSync(out).filter((n) => n.startsWith('.chatmill-staging-')).length).toBeGreaterThan(0);
    expect(existsSync(join(out, '.chatmill-lock'))).toBe(true);
    const r = await chatmill(['run', '--out', 'out'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const again = snapshot(out);
    expect(names(again)).toEqual(names(baseline));
    for (const [name, bytes] of baseline) expect(again.get(name)!.equals(bytes), name).toBe(true);
  });
});
