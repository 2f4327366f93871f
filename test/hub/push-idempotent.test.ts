import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, fastRetry, makeExportDir, readBack, shardNames, TOKEN } from './helpers.js';

let hub: StandInHub;
beforeEach(async () => {
  hub = await startStandInHub({ token: TOKEN, pageSize: 25 });
});
afterEach(() => hub.close());
afterAll(cleanupDirs);

const REPO = 'org/idem';
const push = (dir: string, extra: object = {}) => pushDataset({ dir, repo: REPO, hubUrl: hub.url, token: TOKEN, ...fastRetry(), ...extra });
const headFiles = () => hub.store.head(hub.store.repo(REPO), 'main')!.files;
const writes = () => ['create', 'preupload', 'batch', 'upload', 'part', 'complete', 'commit'].reduce((n, k) => n + hub.count(k as never), 0);

/** 120 shards of 2 kB plus a card: 121 files → ceil(121 / 50) = 3 commits. */
/** README.md, 119 shards and (written by makeExportDir) manifest.json: 121 files, sorted with the manifest last. */
function bigExport() {
  const files: Record<string, Buffer | string> = { 'README.md': '# many shards\n' };
  for (const [i, path] of shardNames('sft', 'train', 119).entries()) files[path] = bytesFor(`big-${i}`, 2_000);
  return files;
}

describe('idempotent pushes', () => {
  it('a re-run right after success uploads nothing and makes no commit', async () => {
    {
      const repo = REPO;
      const files = { 'README.md': '# card\n', 'data/sft/train-00000-of-00001.parquet': bytesFor('a', 4_000), 'notes.txt': 'plain text\n' };
      const dir = await makeExportDir({ files });
      const first = await pushDataset({ dir, repo, hubUrl: hub.url, token: TOKEN, ...fastRetry() });
      expect(first.commits).toHaveLength(1);
      const before = hub.requests.length;
      const headBefore = hub.store.head(hub.store.repo(repo), 'main')!.oid;
      const second = await pushDataset({ dir, repo, hubUrl: hub.url, token: TOKEN, ...fastRetry() });
      const kinds = hub.requests.slice(before).map((r) => r.kind);
      expect(second).toEqual({ repo, url: `${hub.url}/datasets/${repo}`, commits: [], uploaded: 0, skipped: Object.keys(files).length + 1 /* manifest.json */, deleted: 0 });
      expect(kinds.filter((k) => !['repo-info', 'revision-info', 'tree'].includes(k))).toEqual([]);
      expect(hub.store.head(hub.store.repo(repo), 'main')!.oid).toBe(headBefore);
    }
  });

  it('more than 50 files go in several commits of at most 50, all listed back through the paginated tree', async () => {
    const files = bigExport();
    const dir = await makeExportDir({ files });
    const result = await push(dir);
    expect(result.commits).toHaveLength(3);
    expect(result.uploaded).toBe(121);
    // Walk the commit chain: each of our commits added at most 50 files.
    const repo = hub.store.repo(REPO);
    const sizes = result.commits.map((oid) => {
      const c = repo.commits.get(oid)!;
      return c.files.size - repo.commits.get(c.parent!)!.files.size;
    });
    expect(sizes).toEqual([50, 50, 21]);
    expect([...headFiles().keys()].filter((p) => p !== '.gitattributes').sort()).toEqual([...Object.keys(files), 'manifest.json'].sort());
    // 121 files + .gitattributes + the directories data/ and data/sft/ = 124 entries, 25 per page:
    // the client has to follow Link headers through 5 pages to see everything.
    const treeBefore = hub.count('tree');
    const again = await push(dir);
    expect(again.commits).toEqual([]);
    expect(again.skipped).toBe(121);
    expect(hub.count('tree') - treeBefore).toBe(5);
  });

  it('after a failure midway, a re-run uploads only what is missing', async () => {
    const files = bigExport();
    const dir = await makeExportDir({ files });
    // The second commit is refused (403 is not retried), after its LFS objects were stored.
    hub.faults = (req) => (req.kind === 'commit' && req.count === 2 ? { status: 403, message: 'forbidden for a moment' } : undefined);
    await expect(push(dir)).rejects.toThrow(/push to org\/idem failed after 1 commit\(s\).*403|forbidden/);
    hub.faults = undefined;
    const onRemote = new Set([...headFiles().keys()].filter((p) => p !== '.gitattributes'));
    expect(onRemote.size).toBe(50);
    const bytesBefore = hub.lfs.bytesReceived;

    const rerun = await push(dir);
    expect(rerun.uploaded).toBe(121 - 50);
    expect(rerun.skipped).toBe(50);
    expect(rerun.commits).toHaveLength(2); // 71 operations → ceil(71/50)
    const repo = hub.store.repo(REPO);
    const added = rerun.commits.flatMap((oid) => {
      const c = repo.commits.get(oid)!;
      const parent = repo.commits.get(c.parent!)!;
      return [...c.files.keys()].filter((p) => !parent.files.has(p));
    });
    expect(added.filter((p) => onRemote.has(p))).toEqual([]);
    expect(new Set([...onRemote, ...added]).size).toBe(121);
    // Shards go first, then manifest.json, then README.md: commits 1 and 2 held 50 shards each, and the refused
    // commit's objects were already in LFS storage, so only the last 19 shards' bytes were sent again.
    expect(hub.lfs.bytesReceived - bytesBefore).toBe(19 * 2_000);
  });

  it('deletes remote shards of a re-sharded config+split and never touches other configs or splits', async () => {
    const old: Record<string, Buffer | string> = { 'README.md': '# v1\n' };
    for (const p of [...shardNames('sft', 'train', 3), ...shardNames('sft', 'test', 1), ...shardNames('dpo', 'train', 2), ...shardNames('sft', 'train_extra', 1)]) old[p] = bytesFor(`old-${p}`, 1_000);
    await push(await makeExportDir({ files: old }));

    const next: Record<string, Buffer | string> = { 'README.md': '# v2\n' };
    for (const p of shardNames('sft', 'train', 2)) next[p] = bytesFor(`new-${p}`, 1_500);
    const result = await push(await makeExportDir({ files: next }));
    expect(result.deleted).toBe(3);
    expect([...headFiles().keys()].sort()).toEqual(
      ['.gitattributes', 'README.md', 'manifest.json', ...shardNames('sft', 'train', 2), ...shardNames('sft', 'test', 1), ...shardNames('dpo', 'train', 2), ...shardNames('sft', 'train_extra', 1)].sort(),
    );
    expect((await readBack({ hubUrl: hub.url, repo: REPO, path: 'README.md' }))?.toString()).toBe('# v2\n');
  });

  it('a concurrent push (412 on parentCommit) makes it re-list, re-diff and finish correctly', async () => {
    const files = bigExport();
    const dir = await makeExportDir({ files });
    const [firstShard] = shardNames('sft', 'train', 119);
    // Just before our second commit lands, someone else deletes a shard our first commit added.
    hub.faults = (req) => (req.kind === 'commit' && req.count === 2 ? { concurrent: { key: 'deletedFile', path: firstShard! } } : undefined);
    const events: string[] = [];
    const result = await push(dir, { onProgress: (e: { type: string }) => events.push(e.type) });
    expect(hub.count('commit', 412)).toBe(1);
    expect(events).toContain('replan');
    // Re-plan: 71 still missing + the deleted shard again = 72 ops → 2 more commits.
    expect(result.commits).toHaveLength(3);
    expect(result.uploaded).toBe(121);
    for (const [path, content] of Object.entries(files)) expect(headFiles().get(path)?.size, path).toBe(Buffer.from(content).length);
    expect((await readBack({ hubUrl: hub.url, repo: REPO, path: firstShard! }))?.equals(files[firstShard!] as Buffer)).toBe(true);
  });

  it('a dry run plans against the remote and writes nothing', async () => {
    const files = { 'README.md': '# dry\n', [shardNames('sft', 'train', 1)[0]!]: bytesFor('dry', 3_000) };
    const dir = await makeExportDir({ files });
    const events: { type: string; upload?: unknown[] }[] = [];
    const planned = await push(dir, { dryRun: true, onProgress: (e: never) => events.push(e) });
    expect(planned).toMatchObject({ commits: [], uploaded: 3, skipped: 0, deleted: 0 }); // with manifest.json
    expect(writes()).toBe(0);
    expect(hub.store.repos.has(REPO)).toBe(false);
    expect(events.find((e) => e.type === 'plan')?.upload).toHaveLength(3);

    await push(dir);
    const writesBefore = writes();
    expect(await push(dir, { dryRun: true })).toMatchObject({ uploaded: 0, skipped: 3, deleted: 0 });
    expect(writes()).toBe(writesBefore);
  });
});
