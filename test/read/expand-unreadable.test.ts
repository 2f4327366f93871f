import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tmp } from './helpers.js';

// Tests run as root, where chmod 000 does not stop readdir: the unit test makes readdir fail the way it does
// for an unreadable directory (EACCES); the CLI test drops to `nobody` with setpriv where that is possible.
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (path: string, opts?: unknown) => {
    if (String(path).endsWith('locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
    return fs.readdir(path, opts as never);
  }) as typeof fs.readdir;
  return { ...fs, readdir, default: { ...fs, readdir } };
});

const { expandInputs } = await import('../../src/read/expand.js');
const { UsageError } = await import('../../src/types.js');

describe('an unreadable subdirectory in a walk is a usage error naming it (issue 10, item 12c)', () => {
  it('readdir failing with EACCES gives a UsageError (exit 2) that names the directory', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'a.jsonl'), '');
    const err = await expandInputs([dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`cannot read directory ${join(dir, 'locked')}: permission denied`);
  });

  const cli = resolve('dist/src/cli/main.js');
  const asNobody = (args: string[]) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { encoding: 'utf8' });
  // `nobody` must be able to run the built CLI at all: a checkout under a root-only folder (mktemp -d is 0700)
  // cannot be, and then this test has nothing to say.
  const canDrop =
    process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 && existsSync(cli) && asNobody([cli, '--version']).status === 0;
  if (!canDrop) console.warn('skipping the setpriv CLI test: not root, no setpriv, or user nobody cannot run dist/src/cli/main.js here');
  it.skipIf(!canDrop)('chatmill validate on a tree with a chmod 000 subdirectory exits 2, as a user who cannot read it', () => {
    const dir = tmp();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'a.jsonl'), '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n');
    chmodSync(join(dir, 'a.jsonl'), 0o644);
    chmodSync(join(dir, 'locked'), 0o000);
    const run = asNobody([cli, 'validate', dir]);
    expect(run.stderr).toContain(`cannot read directory ${join(dir, 'locked')}: permission denied`);
    expect(run.status).toBe(2);
  });
});
