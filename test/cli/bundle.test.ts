import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The built CLI is a bundle (scripts/bundle.mjs, run by `npm run build`): dist/src/cli/main.js plus chunks and
 * the tokenize worker beside it. What a user runs must load a handful of files, not the ~300 ES modules of tsc's
 * output (module loading was a third of a 1-record audit), find its worker thread script, and give the same
 * results. Module loads are counted by a preload that logs every module URL (fixtures/log-module-loads.mjs).
 */

const BIN = join(ROOT, 'dist/src/cli/main.js');
const PRELOAD = join(ROOT, 'test/cli/fixtures/log-module-loads.mjs');
let work = '';

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; loads: string[] } {
  const log = join(work, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHATMILL_TEST_LOAD_LOG: log, CHATMILL_CACHE: join(work, 'cache'), ...env },
  });
  const loads = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loads };
}

const fileLoads = (loads: string[]) => loads.filter((u) => u.startsWith('file:') && !u.includes('/test/cli/fixtures/'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'chatmill-bundle-'));
});

describe('the built CLI is a bundle', () => {
  it('a 1-record audit loads a few dozen files, all from the bundle folder, and none of tsc\'s modules', () => {
    const input = join(work, 'one.jsonl');
    writeFileSync(input, `${JSON.stringify({ messages: [{ role: 'user', content: 'Hi there!' }, { role: 'assistant', content: 'Hello! How can I help?' }] })}\n`);
    // The first run compiles the tokenizer into the (empty) cache; every later run is what a user sees.
    expect(run(['audit', input, '--out', join(work, 'audit-one')]).status).toBe(0);
    const r = run(['audit', input, '--out', join(work, 'audit-one'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tokens).toBe(21);
    const files = fileLoads(r.loads);
    const ours = files.filter((u) => !u.includes('/node_modules/'));
    expect(ours.every((u) => u.includes('/dist/src/cli/')), ours.join('\n')).toBe(true);
    // tsc's output would load ~150 of our modules and ~150 from node_modules (zod alone is 95).
    expect(files.length, files.join('\n')).toBeLessThan(60);
  });

  it('--version is package.json\'s version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('starts its own bundled tokenize worker threads on a large input, with the same audit as on one thread', () => {
    // An input past the 600k tokens a default run tokenizes on the main thread before it starts workers (INLINE_TOKENS).
    const input = join(work, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 2600; i++) {
      const words = Array.from({ length: 120 }, (_, j) => `w${(i * 7919 + j * 104729) % 100_003}`).join(' ');
      lines.push(JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}: ${words}?` }, { role: 'assistant', content: `Answer ${i}: ${words.split(' ').reverse().join(' ')}.` }] }));
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    // Workers from the first batch: with the default, this thread tokenizes while the worker starts, and on a loaded
    // machine it could finish the input before the worker has loaded its script.
    const two = run(['audit', input, '--out', join(work, 'audit-two'), '--json', '--workers', '2'], { CHATMILL_INLINE_TOKENS: '0' });
    expect(two.status, two.stderr).toBe(0);
    const workerScripts = two.loads.filter((u) => u.endsWith('/tokenize-worker.js'));
    expect(workerScripts.length).toBeGreaterThanOrEqual(1);
    expect(workerScripts.every((u) => u.endsWith('/dist/src/cli/tokenize-worker.js')), workerScripts.join('\n')).toBe(true);
    const one = run(['audit', input, '--out', join(work, 'audit-one-thread'), '--json', '--workers', '1']);
    expect(one.status, one.stderr).toBe(0);
    expect(one.loads.some((u) => u.endsWith('/tokenize-worker.js'))).toBe(false);
    expect(JSON.parse(two.stdout).tokens).toBeGreaterThan(600_000);
    expect(two.stdout).toBe(one.stdout);
  });

  it('CHATMILL_INLINE_TOKENS must be a whole number: anything else is a usage error (exit 2) that names it', () => {
    const input = join(work, 'one.jsonl');
    writeFileSync(input, `${JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] })}\n`);
    for (const bad of ['-1', '1.5', 'many']) {
      const r = run(['audit', input, '--out', join(work, 'audit-bad-inline'), '--workers', '2'], { CHATMILL_INLINE_TOKENS: bad });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`CHATMILL_INLINE_TOKENS must be a whole number, 0 or more, got "${bad}"`);
    }
  });
});
