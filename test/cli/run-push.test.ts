import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInHub, type Fault, type StandInHub } from '../hub/stand-in-hub.js';
import { readBack, TOKEN } from '../hub/helpers.js';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

/**
 * The whole CI flow through the real binary: `chatmill run --push` on the bundled data against the
 * stand-in Hub while 30% of uploads fail, then an immediate `chatmill push` of the same directory
 * uploads nothing and makes no commit.
 */
describe('chatmill run --push, then push again', () => {
  let hub: StandInHub;
  const out = tmp();
  const repo = 'demo/hermes3-mix';

  beforeAll(async () => {
    hub = await startStandInHub({ token: TOKEN, multipartThreshold: 200_000, chunkSize: 64 * 1024 });
    let n = 0;
    // Every third upload request fails: 500, a dropped connection, or 503, in turn.
    hub.faults = (req): Fault | undefined => {
      if (!['upload', 'part', 'complete'].includes(req.kind)) return undefined;
      n++;
      if (n % 10 === 1) return { status: 500 };
      if (n % 10 === 4) return { drop: true };
      if (n % 10 === 7) return { status: 503 };
      return undefined;
    };
  });
  afterAll(() => hub.close());

  it('publishes the default pipeline output despite failing uploads, byte for byte', async () => {
    const r = await chatmill(['run', '--out', out, '--push', '--repo', repo, '--hub-url', hub.url, '--json'], { env: { HF_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const summary = JSON.parse(r.stdout);
    expect(summary.push.repo).toBe(repo);
    expect(summary.push.commits.length).toBeGreaterThanOrEqual(1);
    const manifest = JSON.parse(readFileSync(join(out, 'dataset/manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(summary.push.uploaded).toBe(manifest.files.length + 1); // every listed file plus manifest.json itself
    for (const f of manifest.files) {
      const remote = await readBack({ hubUrl: hub.url, repo, path: f.path });
      expect(remote?.equals(readFileSync(join(out, 'dataset', f.path))), f.path).toBe(true);
    }
  });

  it('an immediate re-run uploads nothing and makes no commit', async () => {
    const r = await chatmill(['push', join(out, 'dataset'), '--repo', repo, '--hub-url', hub.url, '--json'], { env: { HF_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ repo, commits: [], uploaded: 0, deleted: 0 });
  });

  it('without a token, run --push stops before any work with exit 2', async () => {
    const r = await chatmill(['run', '--out', tmp(), '--push', '--repo', repo, '--hub-url', hub.url], { env: { HF_TOKEN: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/token/i);
  });
});
