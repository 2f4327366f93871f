import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
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

  it('help text is the same as tsc\'s unbundled CLI prints (the bundle defers string-width\'s start-up work)', () => {
    // tsc's own main.js is replaced by the bundle; transpile main.ts beside it, so it runs tsc's modules and the
    // packages as installed in node_modules.
    const unbundled = join(ROOT, 'dist/src/cli', `tsc-main-${process.pid}.js`);
    writeFileSync(unbundled, ts.transpileModule(readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText);
    try {
      for (const args of [['--help'], ['audit', '--help'], ['run', '--help'], ['export', '--help']]) {
        const theirs = spawnSync(process.execPath, [unbundled, ...args], { cwd: ROOT, encoding: 'utf8' });
        const ours = run(args);
        expect(theirs.status).toBe(0);
        expect(ours.status).toBe(0);
        expect(ours.stdout.length).toBeGreaterThan(500);
        expect(ours.stdout, args.join(' ')).toBe(theirs.stdout);
      }
    } finally {
      rmSync(unbundled, { force: true });
    }
  });

  it('a 1-record audit builds no Intl.Segmenter, and the bundle holds no Unicode-property regex literal (V8 checks those at parse)', () => {
    const input = join(work, 'one.jsonl');
    writeFileSync(input, `${JSON.stringify({ messages: [{ role: 'user', content: 'Hi there!' }, { role: 'assistant', content: 'Hello! How can I help?' }] })}\n`);
    const log = join(work, `segmenters-${process.pid}.txt`);
    const counted = (args: string[]) => {
      rmSync(log, { force: true });
      const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test/cli/fixtures/count-segmenters.mjs'), BIN, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CHATMILL_TEST_SEGMENTER_LOG: log, CHATMILL_CACHE: join(work, 'cache') },
      });
      expect(r.status, r.stderr).toBe(0);
      return existsSync(log) ? readFileSync(log, 'utf8').length : 0;
    };
    expect(counted(['audit', input, '--out', join(work, 'audit-seg')])).toBe(0);
    // The hook sees the segmenter help text builds (it wraps and measures every line).
    expect(counted(['audit', '--help'])).toBeGreaterThan(0);
    // main.js loads for every command: none of yargs' string-width copies may hold such a literal there.
    expect(readFileSync(BIN, 'utf8')).not.toMatch(/(=|return)\s*\/[^\n]*\\p\{[^\n]*\/[dgimsuyv]*;/);
  });

  it('worker threads get whole tables when the cache file is stamped (read lazily on this thread)', async () => {
    const input = join(work, 'workers-lazy.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const words = Array.from({ length: 120 }, (_, j) => `v${(i * 6007 + j * 7411) % 50_021}`).join(' ');
      lines.push(JSON.stringify({ messages: [{ role: 'user', content: `Q ${i}: ${words}?` }, { role: 'assistant', content: `A ${i}: ${words}.` }] }));
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    const cache = join(work, 'cache-lazy');
    const env = { CHATMILL_CACHE: cache };
    expect(run(['audit', input, '--out', join(work, 'lazy-compile'), '--workers', '1'], env).status).toBe(0);
    // A cache file is stamped (then read lazily) only once it is 2 s old (src/tokens/compiled-stamp.ts).
    for (const f of readdirSync(cache).filter((f) => f.endsWith('.bin'))) utimesSync(join(cache, f), 1_700_000_000, 1_700_000_000);
    await new Promise((r) => setTimeout(r, 2_100));
    const one = run(['audit', input, '--out', join(work, 'lazy-one'), '--json', '--workers', '1'], env);
    expect(one.status, one.stderr).toBe(0);
    // The worker takes every batch (CHATMILL_INLINE_TOKENS 0); this thread has read only the pages its template needed.
    const two = run(['audit', input, '--out', join(work, 'lazy-two'), '--json', '--workers', '2'], { ...env, CHATMILL_INLINE_TOKENS: '0' });
    expect(two.status, two.stderr).toBe(0);
    expect(two.loads.some((u) => u.endsWith('/tokenize-worker.js'))).toBe(true);
    expect(JSON.parse(two.stdout).tokens).toBeGreaterThan(50_000);
    expect(two.stdout).toBe(one.stdout);
  });
});
