import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, fastRetry, makeExportDir, readBack, shardNames, TOKEN } from './helpers.js';

let hub: StandInHub;
beforeEach(async () => {
  hub = await startStandInHub({ token: TOKEN, multipartThreshold: 200_000, chunkSize: 64 * 1024 });
});
afterEach(() => hub.close());
afterAll(cleanupDirs);

describe('pushDataset against the stand-in Hub', () => {
  it('creates the repo, uploads every file and reads back byte-identical through resolve', async () => {
    const [s0, s1] = shardNames('sft', 'train', 2);
    const files = {
      'README.md': '---\nconfigs:\n- config_name: sft\n---\n# Demo\n',
      [s0!]: bytesFor('shard0', 5_000),
      [s1!]: bytesFor('shard1', 300_000), // above the stand-in's multipart threshold
      'mixture.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
    };
    const dir = await makeExportDir({ files, manifest: true });
    const result = await pushDataset({ dir, repo: 'alice/demo', hubUrl: hub.url, token: TOKEN, ...fastRetry() });

    expect(result).toEqual({ repo: 'alice/demo', url: `${hub.url}/datasets/alice/demo`, commits: [expect.stringMatching(/^[0-9a-f]{40}$/)], uploaded: 5, skipped: 0, deleted: 0 });
    for (const [path, content] of Object.entries(files)) {
      expect((await readBack({ hubUrl: hub.url, repo: 'alice/demo', path }))?.equals(Buffer.from(content))).toBe(true);
    }
    // Parquet went through LFS: both transfers were used, once each.
    expect(hub.lfs.transfers.map((t) => t.transfer).sort()).toEqual(['basic', 'multipart']);
    const head = hub.store.head(hub.store.repo('alice/demo'), 'main')!;
    expect(head.files.get(s1!)?.lfsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(head.files.get('README.md')?.lfsSha256).toBeUndefined();
  });
});
