/**
 * Issue 10, crash tests: `chatmill run --push` killed with SIGKILL in the middle of its push. The local
 * dataset was complete before the push began, so it must still be byte-identical and pass push's manifest
 * check; a second `chatmill push` then finishes the job, and the Hub ends up with exactly the local files.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { readBack, TOKEN } from './helpers.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.skipIf(!existsSync(BIN))('run --push killed mid-push', () => {
  let hub: StandInHub;
  beforeAll(async () => {
    hub = await startStandInHub({ token: TOKEN, multipartThreshold: 200_000, chunkSize: 64 * 1024 });
  });
  afterAll(() => hub.close());

  it('leaves a complete local dataset that a second push publishes byte for byte', async () => {
    const out = tmp();
    const repo = 'demo/killed-push';
    const child = spawn(process.execPath, [BIN, 'run', '--out', out, '--push', '--repo', repo, '--hub-url', hub.url], {
      env: { ...process.env, HF_TOKEN: TOKEN },
      stdio: 'ignore',
    });
    let killedAt: string | undefined;
    // The first upload request that reaches the Hub is where the process dies: the socket drops with it.
    hub.faults = (req) => {
      if (killedAt === undefined && ['upload', 'part'].includes(req.kind)) {
        killedAt = req.kind;
        child.kill('SIGKILL');
        return { drop: true };
      }
      return undefined;
    };
    const code = await new Promise<number | null>((done) => child.once('close', (c, signal) => done(signal ? null : c)));
    hub.faults = undefined;
    expect(killedAt, 'the run ended before any upload started').toBeDefined();
    expect(code).toBeNull(); // killed, not exited

    const dataset = join(out, 'dataset');
    const manifest = JSON.parse(readFileSync(join(dataset, 'manifest.json'), 'utf8')) as { files: { path: string; size: number; sha256: string }[] };
    for (const f of manifest.files) expect(sha(join(dataset, f.path)), f.path).toBe(f.sha256);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    // Nothing was committed before the kill: the repo has at most its initial commit.
    const committedBefore = hub.count('commit', 200);

    const again = await chatmill(['push', dataset, '--repo', repo, '--hub-url', hub.url, '--json'], { env: { HF_TOKEN: TOKEN } });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).commits.length).toBeGreaterThanOrEqual(1);
    expect(hub.count('commit', 200)).toBeGreaterThan(committedBefore);
    for (const f of manifest.files) {
      const remote = await readBack({ hubUrl: hub.url, repo, path: f.path });
      expect(remote?.equals(readFileSync(join(dataset, f.path))), f.path).toBe(true);
    }
    const third = await chatmill(['push', dataset, '--repo', repo, '--hub-url', hub.url, '--json'], { env: { HF_TOKEN: TOKEN } });
    expect(JSON.parse(third.stdout)).toMatchObject({ commits: [], uploaded: 0, deleted: 0 });
  });
});
