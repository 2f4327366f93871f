import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { parseRepoName } from '../../src/hub/repo-name.js';
import { UsageError } from '../../src/types.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, fastRetry, makeExportDir, readBack, shardNames, TOKEN } from './helpers.js';

let hub: StandInHub;
beforeEach(async () => {
  hub = await startStandInHub({ token: TOKEN });
});
afterEach(() => hub.close());
afterAll(cleanupDirs);

function fiveFiles(tag: string) {
  const files: Record<string, Buffer | string> = { 'README.md': `# ${tag}\n` };
  for (const p of shardNames('sft', 'train', 4)) files[p] = bytesFor(`${tag}-${p}`, 1_200);
  return files;
}

describe('where a push lands', () => {
  it('--pr opens one pull request; later commits of the same push go to its refs/pr/N; main is untouched', async () => {
    const base = await pushDataset({ dir: await makeExportDir({ files: fiveFiles('v1') }), repo: 'ns/pr', hubUrl: hub.url, token: TOKEN, ...fastRetry() });
    const repo = hub.store.repo('ns/pr');
    const mainBefore = repo.refs.get('main');
    const files = fiveFiles('v2');
    const result = await pushDataset({ dir: await makeExportDir({ files }), repo: 'ns/pr', hubUrl: hub.url, token: TOKEN, createPr: true, maxFilesPerCommit: 2, ...fastRetry() });
    expect(base.commits).toHaveLength(1);
    expect(result.url).toBe(`${hub.url}/datasets/ns/pr/discussions/1`);
    expect(result.commits).toHaveLength(3); // 5 changed files, 2 per commit
    expect(repo.prCount).toBe(1);
    expect(repo.refs.get('main')).toBe(mainBefore);
    expect(repo.refs.get('refs/pr/1')).toBe(result.commits[2]);
    for (const [path, content] of Object.entries(files)) {
      expect((await readBack({ hubUrl: hub.url, repo: 'ns/pr', path, revision: 'refs/pr/1' }))?.equals(Buffer.from(content)), path).toBe(true);
    }
    expect((await readBack({ hubUrl: hub.url, repo: 'ns/pr', path: 'README.md' }))?.toString()).toBe('# v1\n');
  });

  it('--branch creates the branch from main when missing and commits there only', async () => {
    await pushDataset({ dir: await makeExportDir({ files: fiveFiles('main') }), repo: 'ns/br', hubUrl: hub.url, token: TOKEN, ...fastRetry() });
    const files = fiveFiles('dev');
    files[shardNames('sft', 'train', 4)[0]!] = bytesFor(`main-${shardNames('sft', 'train', 4)[0]}`, 1_200); // same as on main
    const dir = await makeExportDir({ files });
    const result = await pushDataset({ dir, repo: 'ns/br', hubUrl: hub.url, token: TOKEN, branch: 'dev', ...fastRetry() });
    expect(result).toMatchObject({ url: `${hub.url}/datasets/ns/br/tree/dev`, uploaded: 5, skipped: 1 }); // 3 changed files + manifest.json
    expect((await readBack({ hubUrl: hub.url, repo: 'ns/br', path: 'README.md', revision: 'dev' }))?.toString()).toBe('# dev\n');
    expect((await readBack({ hubUrl: hub.url, repo: 'ns/br', path: 'README.md' }))?.toString()).toBe('# main\n');
    expect((await pushDataset({ dir, repo: 'ns/br', hubUrl: hub.url, token: TOKEN, branch: 'dev', ...fastRetry() })).commits).toEqual([]);
  });

  it('--private creates a private repo; an existing repo is reused as it is', async () => {
    const dir = await makeExportDir({ files: { 'README.md': '# secret\n' } });
    await pushDataset({ dir, repo: 'ns/priv', hubUrl: hub.url, token: TOKEN, private: true, ...fastRetry() });
    expect(hub.store.repo('ns/priv').private).toBe(true);
    const anonymous = await fetch(`${hub.url}/datasets/ns/priv/resolve/main/README.md`);
    expect(anonymous.status).toBe(401);
    await pushDataset({ dir: await makeExportDir({ files: { 'README.md': '# again\n' } }), repo: 'ns/priv', hubUrl: hub.url, token: TOKEN, ...fastRetry() });
    expect(hub.count('create')).toBe(1);
    expect(hub.store.repo('ns/priv').private).toBe(true);
  });

  it('refuses bad input before any request', async () => {
    const dir = await makeExportDir({ files: { 'README.md': '#\n' } });
    const bad = [
      { repo: 'ns/ok', token: undefined },
      { repo: 'ns/ok', token: TOKEN, branch: '../main' },
      { repo: 'ns/ok', token: TOKEN, hubUrl: 'file:///etc' },
      { repo: 'ns/ok', token: TOKEN, maxFilesPerCommit: 51 },
      { repo: 'ns/ok', token: TOKEN, dir: `${dir}/nope` },
    ];
    for (const params of bad) {
      await expect(pushDataset({ dir, hubUrl: hub.url, ...params }), JSON.stringify(params)).rejects.toBeInstanceOf(UsageError);
    }
    expect(hub.requests).toEqual([]);
  });
});

describe('parseRepoName', () => {
  it('accepts Hub-shaped names', () => {
    for (const ok of ['NousResearch/hermes-function-calling-v1', 'a/b', 'user_1/data.set_v2', 'Org-X/x']) expect(parseRepoName(ok).full).toBe(ok);
  });
  it('rejects everything else with a UsageError', () => {
    for (const bad of ['', 'a', 'a/', '/b', 'a/b/c', 'a /b', 'a/b?x', 'a/b#x', '.a/b', 'a/b.', 'a/-b', 'a/b--c', 'a/b..c', 'a/%2e%2e', '__proto__/x/y', 'ä/b', `a/${'x'.repeat(97)}`]) {
      expect(() => parseRepoName(bad), bad).toThrow(UsageError);
    }
  });
});
