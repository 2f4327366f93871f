import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { createRetryingFetch, parseRetryAfter } from '../../src/hub/retry-fetch.js';
import { startStandInHub, type Fault, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, makeExportDir, readBack, shardNames, TOKEN } from './helpers.js';

let hub: StandInHub;
beforeEach(async () => {
  hub = await startStandInHub({ token: TOKEN, multipartThreshold: 100_000, chunkSize: 32 * 1024 });
});
afterEach(() => hub.close());
afterAll(cleanupDirs);

/** Small seeded PRNG (mulberry32) so the fault pattern is the same on every run. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('transient faults', () => {
  it('completes with 30% of uploads failing (500, 503, 429 + Retry-After, dropped connections)', async () => {
    const files: Record<string, Buffer | string> = { 'README.md': '# flaky\n' };
    // 24 small shards (basic PUT) and 3 of 150 kB (multipart: 5 parts of 32 kB each).
    for (const [i, p] of shardNames('sft', 'train', 24).entries()) files[p] = bytesFor(`f${i}`, 3_000 + i);
    for (const [i, p] of shardNames('dpo', 'train', 3).entries()) files[p] = bytesFor(`m${i}`, 150_000);
    const dir = await makeExportDir({ files, manifest: true });
    const rng = seeded(42);
    const injected = { 500: 0, 503: 0, 429: 0, drop: 0 };
    hub.faults = (req): Fault | undefined => {
      if (!['upload', 'part', 'complete'].includes(req.kind) || rng() >= 0.3) return undefined;
      const pick = Math.floor(rng() * 4);
      if (pick === 0) return (injected[500]++, { status: 500 });
      if (pick === 1) return (injected[503]++, { status: 503 });
      if (pick === 2) return (injected[429]++, { status: 429, retryAfter: '2' });
      return (injected.drop++, { drop: true });
    };
    const delays: number[] = [];
    const result = await pushDataset({
      dir, repo: 'ns/flaky', hubUrl: hub.url, token: TOKEN,
      retry: { sleep: async (ms) => void delays.push(ms), baseDelayMs: 1, maxAttempts: 10, random: seeded(7) },
    });
    expect(result.uploaded).toBe(Object.keys(files).length + 1);
    const failures = injected[500] + injected[503] + injected[429] + injected.drop;
    // Every kind of fault happened, about 30% of the upload requests.
    expect(Math.min(...Object.values(injected))).toBeGreaterThan(0);
    const uploads = hub.requests.filter((r) => ['upload', 'part', 'complete'].includes(r.kind)).length;
    expect(failures / uploads).toBeGreaterThan(0.2);
    expect(delays).toHaveLength(failures);
    // Retry-After: 2 is a floor (2000 ms); other delays stay under the tiny exponential cap.
    expect(delays.filter((d) => d === 2000)).toHaveLength(injected[429]);
    expect(hub.lfs.transfers.filter((t) => t.transfer === 'multipart')).toHaveLength(3);
    for (const [path, content] of Object.entries(files)) {
      expect((await readBack({ hubUrl: hub.url, repo: 'ns/flaky', path }))?.equals(Buffer.from(content)), path).toBe(true);
    }
  });

  it('a commit whose response is lost is not committed twice', async () => {
    const files = { 'README.md': '# lost answer\n', 'data/sft/train-00000-of-00001.parquet': bytesFor('lost', 9_000) };
    const dir = await makeExportDir({ files });
    hub.faults = (req) => (req.kind === 'commit' && req.count === 1 ? { dropAfterHandling: true } : undefined);
    const result = await pushDataset({ dir, repo: 'ns/lost', hubUrl: hub.url, token: TOKEN, retry: { sleep: async () => undefined } });
    // The resent commit carried the old parentCommit → 412 → re-plan found nothing left to do.
    expect(hub.count('commit', 412)).toBe(1);
    expect(result.commits).toEqual([]);
    const repo = hub.store.repo('ns/lost');
    expect(repo.commits.size).toBe(2); // initial + exactly one commit of ours
    expect((await readBack({ hubUrl: hub.url, repo: 'ns/lost', path: 'README.md' }))?.toString()).toBe('# lost answer\n');
  });

  it('gives up after the bounded number of attempts and reports a clean, token-free error', async () => {
    const dir = await makeExportDir({ files: { 'README.md': '# x\n' } });
    // A misbehaving server that echoes the credentials it received in its error body.
    hub.faults = (req) => (req.kind === 'commit' ? { status: 502, message: `upstream rejected ${req.authorization}` } : undefined);
    const err = await pushDataset({ dir, repo: 'ns/down', hubUrl: hub.url, token: TOKEN, retry: { sleep: async () => undefined, maxAttempts: 4 } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(hub.count('commit')).toBe(4);
    expect((err as Error).message).toMatch(/push to ns\/down failed: upstream rejected Bearer hf_\*\*\*/);
    expect(`${(err as Error).message}\n${(err as Error).stack}`).not.toContain(TOKEN);
  });
});

describe('createRetryingFetch on its own', () => {
  it('does not retry 4xx other than 408/429, and returns the last 5xx after maxAttempts', async () => {
    const delays: number[] = [];
    const f = createRetryingFetch(fetch, { maxAttempts: 3, baseDelayMs: 100, random: () => 1, sleep: async (ms) => void delays.push(ms) });
    hub.faults = (req) => (req.kind === 'repo-info' ? { status: 403 } : { status: 503 });
    expect((await f(`${hub.url}/api/datasets/a/b`)).status).toBe(403);
    expect(hub.count('repo-info')).toBe(1);
    expect((await f(`${hub.url}/api/datasets/a/b/revision/main`)).status).toBe(503);
    expect(hub.count('revision-info')).toBe(3);
    // random() = 1 gives the full exponential step: 100, then 200 ms.
    expect(delays).toEqual([100, 200]);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('1.5')).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
