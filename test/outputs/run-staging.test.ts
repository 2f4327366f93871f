import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { SFT_RECORD, jsonlFile, names, snapshot } from './helpers.js';

const DEAD_PID = 4_194_305;

/**
 * A small two-dataset pipeline: `a` writes JSONL (inside `out` and outside it) and exports; `b` runs after it and
 * can be made to fail (an audit stage with no tokenize before it, found when b's stages are built), so the
 * failure happens after `a` wrote everything. No tokenizer is loaded: these runs stay fast.
 */
function project(opts: { failB: boolean; dir?: string }) {
  const dir = opts.dir ?? tmp();
  const input = join(dir, 'a.jsonl');
  if (!existsSync(input)) jsonlFile('a.jsonl', 30, SFT_RECORD, dir);
  const b = existsSync(join(dir, 'b.jsonl')) ? join(dir, 'b.jsonl') : jsonlFile('b.jsonl', 5, SFT_RECORD, dir);
  const p = join(dir, 'p.yaml');
  writeFileSync(
    p,
    `name: t\nout: ${join(dir, 'out')}\ndatasets:\n` +
      `  a:\n    inputs: [${input}]\n    stages:\n      - dedup: {}\n      - write: { path: a.jsonl }\n      - write: { path: ../side/a-copy.jsonl }\n      - export: {}\n` +
      `  b:\n    inputs: [${b}]\n    stages:\n${opts.failB ? '      - audit: {}\n' : ''}      - write: { path: b.jsonl }\n`,
  );
  return { dir, input, p, out: join(dir, 'out'), side: join(dir, 'side') };
}

describe('chatmill run promotes a whole run or nothing', () => {
  it('a re-run that fails leaves the previous outputs byte for byte, inside and outside out, and says so', async () => {
    const first = project({ failB: false });
    let r = await chatmill(['run', first.p]);
    expect(r.code, r.stderr).toBe(0);
    const before = snapshot(first.out);
    const sideBefore = snapshot(first.side);
    expect(names(before)).toEqual(
      ['a.jsonl', 'b.jsonl', 'dataset/README.md', 'dataset/data/a/train-00000-of-00001.parquet', 'dataset/manifest.json', 'dropped.jsonl', 'rejects.jsonl', 'summary.json'].sort(),
    );
    expect(names(sideBefore)).toEqual(['a-copy.jsonl']);

    // New data, and dataset b now fails after a has written its JSONL and shards.
    appendFileSync(first.input, Array.from({ length: 10 }, (_, i) => `${SFT_RECORD(100 + i)}\n`).join(''));
    const second = project({ failB: true, dir: first.dir });
    r = await chatmill(['run', second.p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/an audit stage needs a tokenize stage/);
    expect(r.stderr).toContain(`the previous run's files in ${first.out} are untouched`);
    const after = snapshot(first.out);
    expect(names(after)).toEqual(names(before));
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
    const sideAfter = snapshot(first.side);
    expect(names(sideAfter)).toEqual(['a-copy.jsonl']);
    expect(sideAfter.get('a-copy.jsonl')!.equals(sideBefore.get('a-copy.jsonl')!)).toBe(true);
  });

  it('a successful re-run replaces every output, inside and outside out, and leaves no staging behind', async () => {
    const p = project({ failB: false });
    expect((await chatmill(['run', p.p])).code).toBe(0);
    appendFileSync(p.input, Array.from({ length: 10 }, (_, i) => `${SFT_RECORD(200 + i)}\n`).join(''));
    const r = await chatmill(['run', p.p, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(p.out, 'a.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);
    expect(readFileSync(join(p.side, 'a-copy.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);
    expect(JSON.parse(readFileSync(join(p.out, 'summary.json'), 'utf8')).kept).toBe(45);
    expect(readdirSync(p.out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(p.side)).toEqual(['a-copy.jsonl']);
  });

  it("the next run removes what killed runs left (staging, a dataset moved aside, a staged file outside out), not a live run's", async () => {
    const p = project({ failB: false });
    mkdirSync(join(p.out, `.chatmill-staging-${DEAD_PID}`, 'dataset'), { recursive: true });
    writeFileSync(join(p.out, `.chatmill-staging-${DEAD_PID}`, 'a.jsonl'), '{"half":');
    mkdirSync(join(p.out, `.chatmill-old-${DEAD_PID}-dataset`));
    mkdirSync(join(p.out, `.chatmill-staging-${process.ppid}`));
    mkdirSync(p.side);
    writeFileSync(join(p.side, `.a-copy.jsonl.staged-${DEAD_PID}`), '{"half":');
    const r = await chatmill(['run', p.p]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(p.out).filter((n) => n.startsWith('.'))).toEqual([`.chatmill-staging-${process.ppid}`]);
    expect(readdirSync(p.side)).toEqual(['a-copy.jsonl']);
  });

  it('a promotion that cannot happen (a file where a folder must go) fails before moving anything', async () => {
    const p = project({ failB: false });
    expect((await chatmill(['run', p.p])).code).toBe(0);
    writeFileSync(join(p.out, 'blocker'), 'not a folder');
    const before = snapshot(p.out);
    const yaml = readFileSync(p.p, 'utf8').replace('write: { path: b.jsonl }', 'write: { path: blocker/b.jsonl }');
    writeFileSync(p.p, yaml);
    const r = await chatmill(['run', p.p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/blocker is a file, not a folder/);
    const after = snapshot(p.out);
    expect(names(after)).toEqual(names(before));
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });
});

describe('one run at a time into an out folder', () => {
  it('a second run into the same out while the first is running is refused (exit 2), and the first completes unharmed', async () => {
    // The first run reads stdin: it takes its lock, then waits for data until the test writes it.
    const dir = tmp();
    const p = join(dir, 'p.yaml');
    const out = join(dir, 'out');
    writeFileSync(p, `name: t\nout: ${out}\ndatasets:\n  a:\n    inputs: ['-']\n    stages:\n      - write: { path: a.jsonl }\n`);
    const first = spawn(process.execPath, [BIN, 'run', p], { stdio: ['pipe', 'ignore', 'pipe'] });
    let firstErr = '';
    first.stderr.on('data', (d) => (firstErr += d));
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    const lock = join(out, '.chatmill-lock');
    for (let waited = 0; !existsSync(lock); waited += 50) {
      if (waited > 60_000 || first.exitCode !== null) throw new Error(`the first run never took its lock: ${firstErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readFileSync(lock, 'utf8')).toBe(`${first.pid} ${hostname()}\n`);

    const second = await chatmill(['run', p]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is being written by another chatmill run (process ${first.pid} on ${hostname()})`);

    // Now feed the first run: it finishes with its own outputs, and lets go of the lock.
    first.stdin.end(Array.from({ length: 3 }, (_, i) => `${SFT_RECORD(i)}\n`).join(''));
    expect(await firstDone, firstErr).toBe(0);
    expect(readFileSync(join(out, 'a.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).kept).toBe(3);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock left by a killed run is taken over; a lock from another host is refused and named', async () => {
    const p = project({ failB: false });
    mkdirSync(p.out, { recursive: true });
    const lock = join(p.out, '.chatmill-lock');
    writeFileSync(lock, `${DEAD_PID} ${hostname()}\n`);
    let r = await chatmill(['run', p.p]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, `4242 some-other-node\n`);
    const before = snapshot(p.out);
    r = await chatmill(['run', p.p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(process 4242 on some-other-node)');
    expect(r.stderr).toContain(`remove ${lock}`);
    const after = snapshot(p.out);
    for (const [name, bytes] of before) expect(after.get(name)?.equals(bytes), name).toBe(true);
  });
});
