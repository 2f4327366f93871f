import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, fastRetry, makeExportDir, readBack, TOKEN } from './helpers.js';

let hub: StandInHub;
beforeEach(async () => {
  // Hub-like sizes: objects from 8 MB on use multipart with 5 MB parts.
  hub = await startStandInHub({ token: TOKEN, multipartThreshold: 8_000_000, chunkSize: 5_000_000 });
});
afterEach(() => hub.close());
afterAll(cleanupDirs);

it('a 12 MB file (client hashes it streaming, above its 10 MB in-memory limit) goes through multipart in 3 parts', async () => {
  const big = bytesFor('big', 12_000_000);
  // No .parquet name: LFS is chosen by size alone; sha256 is computed by us (checked against the manifest) and the client.
  const dir = await makeExportDir({ files: { 'README.md': '# big\n', 'extra/blob.bin': big } });
  const result = await pushDataset({ dir, repo: 'ns/big', hubUrl: hub.url, token: TOKEN, ...fastRetry() });
  expect(result.uploaded).toBe(3); // README.md, the blob, manifest.json
  expect(hub.count('part')).toBe(3); // ceil(12 000 000 / 5 000 000)
  expect(hub.lfs.transfers).toEqual([{ oid: expect.any(String), transfer: 'multipart' }]);
  expect((await readBack({ hubUrl: hub.url, repo: 'ns/big', path: 'extra/blob.bin' }))?.equals(big)).toBe(true);
  expect((await pushDataset({ dir, repo: 'ns/big', hubUrl: hub.url, token: TOKEN, ...fastRetry() })).commits).toEqual([]);
});
