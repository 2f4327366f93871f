/**
 * `chatmill push` as a user runs it: a spawned `node dist/src/cli/main.js push …` (build first with
 * `npx tsc -p .`) talking to the stand-in Hub. CHATMILL_CLI may point at another entry exposing `push`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, makeExportDir, readBack, shardNames, TOKEN } from './helpers.js';

const CLI = resolve(process.env.CHATMILL_CLI ?? 'dist/src/cli/main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((done) => {
    const childEnv = { ...process.env, HF_TOKEN: undefined, HF_ENDPOINT: undefined, ...env } as NodeJS.ProcessEnv;
    for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
    execFile(process.execPath, [CLI, 'push', ...args], { env: childEnv }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The CLI can only be spawned once it is built and every command it imports exists. */
async function cliUsable(): Promise<boolean> {
  if (!existsSync(CLI)) return false;
  const probe = await run(['--help']);
  return probe.code === 0 && probe.stdout.includes('--repo');
}
const usable = await cliUsable();
if (!usable) console.warn(`skipping CLI tests: ${CLI} is missing or does not start (run \`npx tsc -p .\`)`);

describe.skipIf(!usable)('chatmill push (spawned CLI)', () => {
  let hub: StandInHub;
  beforeEach(async () => {
    hub = await startStandInHub({ token: TOKEN });
  });
  afterEach(() => hub.close());
  afterAll(cleanupDirs);

  const files = { 'README.md': '# cli\n', [shardNames('sft', 'train', 1)[0]!]: bytesFor('cli', 20_000) };
  const noToken = (r: Run) => expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);

  it('pushes with --json (exact keys), then a re-run reports nothing to do; exit 0', async () => {
    const dir = await makeExportDir({ files, manifest: true });
    const first = await run([dir, '--repo', 'cli/ok', '--hub-url', hub.url, '--json'], { HF_TOKEN: TOKEN });
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(Object.keys(out)).toEqual(['repo', 'url', 'commits', 'uploaded', 'skipped', 'deleted']);
    expect(out).toMatchObject({ repo: 'cli/ok', url: `${hub.url}/datasets/cli/ok`, uploaded: 3, skipped: 0, deleted: 0 });
    expect(out.commits).toHaveLength(1);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(first.stderr).toMatch(/push: 3 to upload/);
    expect(first.stderr).not.toContain('\r'); // not a TTY: milestones only
    noToken(first);
    expect((await readBack({ hubUrl: hub.url, repo: 'cli/ok', path: 'README.md' }))?.toString()).toBe('# cli\n');

    const second = await run([dir, '--repo', 'cli/ok', '--hub-url', hub.url, '--json'], { HF_TOKEN: TOKEN });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ repo: 'cli/ok', url: `${hub.url}/datasets/cli/ok`, commits: [], uploaded: 0, skipped: 3, deleted: 0 });
  });

  it('--dry-run lists what would change and writes nothing; works without a token', async () => {
    const dir = await makeExportDir({ files });
    const r = await run([dir, '--repo', 'cli/dry', '--hub-url', hub.url, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`would upload ${shardNames('sft', 'train', 1)[0]} (20.0 kB)`);
    expect(r.stdout).toContain('would upload README.md');
    expect(hub.store.repos.size).toBe(0);
    expect(hub.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('exit 2 for a missing token, a malformed token file and bad repo names, with clear messages', async () => {
    const dir = await makeExportDir({ files });
    const missing = await run([dir, '--repo', 'cli/x', '--hub-url', hub.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no Hub token: set HF_TOKEN or pass --token-file/);

    const badFile = join(dir, '..', `bad-token-${Date.now()}`);
    await writeFile(badFile, `${TOKEN} trailing-garbage\n`);
    const malformed = await run([dir, '--repo', 'cli/x', '--hub-url', hub.url, '--token-file', badFile]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/does not look like a Hub token/);
    noToken(malformed);

    for (const repo of ['noslash', 'a/b/c', '../etc', 'ns/na me', 'ns/-lead', 'ns/x..y', 'ns/a?b=1']) {
      const r = await run([dir, '--repo', repo, '--hub-url', hub.url], { HF_TOKEN: TOKEN });
      expect(r.code, repo).toBe(2);
      expect(r.stderr, repo).toMatch(/--repo/);
    }
    expect(hub.requests).toEqual([]); // nothing was sent for any of these
  });

  it('exit 1 for a failed push, and the token never shows even when the server echoes it', async () => {
    const dir = await makeExportDir({ files });
    const tokenFile = join(dir, '..', `token-${Date.now()}`);
    await writeFile(tokenFile, `${TOKEN}\n`);
    hub.faults = (req) => (req.kind === 'commit' ? { status: 403, message: `denied for ${req.authorization} (token ${TOKEN.slice(3)})` } : undefined);
    const r = await run([dir, '--repo', 'cli/fail', '--hub-url', hub.url, '--token-file', tokenFile, '--json'], { CHATMILL_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/chatmill: push to cli\/fail failed: denied for Bearer hf_\*\*\*/);
    noToken(r);
    expect(r.stderr).not.toContain(TOKEN.slice(3));
  });
});
