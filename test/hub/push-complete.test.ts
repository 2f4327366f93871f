/**
 * Issue 10, items 5 and 12g: `push` publishes a complete dataset or nothing, and never sends the token over
 * plain http to another machine. The refusals go through the spawned CLI (exit 2, clear message, no request
 * that changes the Hub); the kill test stops a real `chatmill export` part-way and checks that the folder it
 * leaves cannot be pushed.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushDataset } from '../../src/hub/push.js';
import { startStandInHub, type StandInHub } from './stand-in-hub.js';
import { bytesFor, cleanupDirs, fastRetry, makeExportDir, shardNames, TOKEN } from './helpers.js';

const CLI = resolve('dist/src/cli/main.js');
const built = existsSync(CLI);
if (!built) console.warn('skipping push-complete CLI tests: dist/ is not built (npm test builds it)');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((done) => {
    const childEnv = { ...process.env, HF_TOKEN: undefined, HF_ENDPOINT: undefined, ...env } as NodeJS.ProcessEnv;
    for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
    execFile(process.execPath, [CLI, ...args], { env: childEnv, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const shard = shardNames('sft', 'train', 1)[0]!;
const files = { 'README.md': '# card\n', [shard]: bytesFor('complete', 30_000) };

describe.skipIf(!built)('push refuses a dataset folder that is not one complete export', () => {
  let hub: StandInHub;
  beforeEach(async () => {
    hub = await startStandInHub({ token: TOKEN });
  });
  afterEach(() => hub.close());
  afterAll(cleanupDirs);

  const writesToHub = () => hub.requests.filter((q) => q.method !== 'GET');

  async function expectRefused(dir: string, why: RegExp) {
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli(['push', dir, '--repo', 'ns/refused', '--hub-url', hub.url, ...extra], { HF_TOKEN: TOKEN });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/is not a complete dataset/);
      expect(r.stderr).toMatch(why);
      expect(r.stdout).toBe('');
    }
    expect(writesToHub()).toEqual([]);
    expect(hub.store.repos.size).toBe(0);
  }

  it('no manifest.json: refused (a run stopped before its commit point)', async () => {
    await expectRefused(await makeExportDir({ files, manifest: false }), /has no manifest\.json/);
  });

  it('a file the manifest does not list (a shard of a later, unfinished run): refused', async () => {
    const dir = await makeExportDir({ files });
    await writeFile(join(dir, 'data/sft/train-00000-of-00002.parquet'), bytesFor('new', 1000));
    await expectRefused(dir, /not in manifest\.json: data\/sft\/train-00000-of-00002\.parquet/);
  });

  it('a file the manifest lists but is gone (deleted by a re-shard): refused', async () => {
    const dir = await makeExportDir({ files });
    await rm(join(dir, shard));
    await expectRefused(dir, /missing: data\/sft\/train-00000-of-00001\.parquet/);
  });

  it('a shard truncated or rewritten after the manifest: refused by size, then by sha256', async () => {
    const dir = await makeExportDir({ files });
    await appendFile(join(dir, shard), 'x');
    await expectRefused(dir, /is 30001 bytes, manifest\.json says 30000/);
    const same = await makeExportDir({ files });
    const bytes = await readFile(join(same, shard));
    bytes[100] ^= 0xff; // same size, different content
    await writeFile(join(same, shard), bytes);
    await expectRefused(same, /does not match the sha256/);
  });

  it('a manifest that is not JSON, or that points outside the folder: refused', async () => {
    const broken = await makeExportDir({ files });
    await writeFile(join(broken, 'manifest.json'), '{"files": [');
    await expectRefused(broken, /manifest\.json is not valid JSON/);
    const escaping = await makeExportDir({ files });
    const manifest = JSON.parse(await readFile(join(escaping, 'manifest.json'), 'utf8'));
    manifest.files.push({ path: '../outside.txt', size: 1, sha256: 'a'.repeat(64) });
    await writeFile(join(escaping, 'manifest.json'), JSON.stringify(manifest));
    await expectRefused(escaping, /malformed entry .*\.\.\/outside\.txt/);
  });

  it('a folder that matches its manifest is pushed (the check does not refuse good exports)', async () => {
    const dir = await makeExportDir({ files });
    const r = await cli(['push', dir, '--repo', 'ns/good', '--hub-url', hub.url, '--json'], { HF_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ uploaded: 3, skipped: 0, deleted: 0 });
  });
});

describe.skipIf(!built)('an export killed part-way cannot be pushed; finishing it can', () => {
  let hub: StandInHub;
  let work: string;
  beforeEach(async () => {
    hub = await startStandInHub({ token: TOKEN });
    work = await mkdtemp(join(tmpdir(), 'chatmill-killed-export-'));
  });
  afterEach(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });

  it('kill -9 while the second export rewrites the folder: no manifest is left, push exits 2, a re-run pushes', async () => {
    // Normalized records big enough that the export writes several shards and takes a moment.
    const input = join(work, 'records.jsonl');
    const filler = 'lorem ipsum dolor sit amet '.repeat(400);
    const lines = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({ id: `r${i}`, source: 'x.jsonl', index: i, format: 'openai', messages: [{ role: 'user', content: `q${i} ${filler}` }, { role: 'assistant', content: `a${i}` }], meta: {} }),
    );
    await writeFile(input, `${lines.join('\n')}\n`);
    const out = join(work, 'ds');
    const exportArgs = ['export', input, '--out', out, '--max-shard-size', '1MB', '--compression', 'snappy'];

    const first = await cli(exportArgs);
    expect(first.code, first.stderr).toBe(0);
    const firstManifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(firstManifest.files.length).toBeGreaterThan(3);

    // Second export into the same folder: kill it once it has started to change the folder.
    const child = spawn(process.execPath, [CLI, ...exportArgs], { stdio: 'ignore' });
    const started = Date.now();
    let sawChange = false;
    while (Date.now() - started < 60_000 && child.exitCode === null) {
      const names = await readdir(join(out, 'data', 'sft')).catch(() => [] as string[]);
      if (!existsSync(join(out, 'manifest.json')) || names.some((n) => n.startsWith('.'))) {
        sawChange = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(sawChange, 'the second export finished before it could be killed; make the input larger').toBe(true);

    const refused = await cli(['push', out, '--repo', 'ns/killed', '--hub-url', hub.url], { HF_TOKEN: TOKEN });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/is not a complete dataset: it has no manifest\.json/);
    expect(hub.requests.filter((q) => q.method !== 'GET')).toEqual([]);

    const again = await cli(exportArgs);
    expect(again.code, again.stderr).toBe(0);
    const pushed = await cli(['push', out, '--repo', 'ns/killed', '--hub-url', hub.url, '--json'], { HF_TOKEN: TOKEN });
    expect(pushed.code, pushed.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(JSON.parse(pushed.stdout).uploaded).toBe(manifest.files.length + 1); // every listed file and the manifest
    // The re-run wrote the same bytes as the first, complete run.
    expect(manifest.files).toEqual(firstManifest.files);
  });
});

describe('the token never travels over plain http to another machine (12g)', () => {
  afterAll(cleanupDirs);

  it('an http:// --hub-url that is not loopback is refused before any request; https and loopback are not', async () => {
    const dir = await makeExportDir({ files });
    const calls: string[] = [];
    const recordingFetch = (async (input: string | URL | Request) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return new Response('{"error":"stand-in"}', { status: 503 });
    }) as typeof fetch;
    const attempt = (hubUrl: string, env: Record<string, string> = {}) =>
      pushDataset({ dir, repo: 'ns/http', hubUrl, token: TOKEN, fetch: recordingFetch, env, retry: { ...fastRetry().retry, maxAttempts: 1 } });

    for (const url of ['http://hub.example.com', 'http://10.0.0.5:8080', 'http://[fe80::1]']) {
      await expect(attempt(url)).rejects.toThrow(/refusing to send the Hub token over plain http/);
      expect(calls).toEqual([]);
    }
    // Not refused (they go on to the network, where the recording fetch answers 503).
    for (const url of ['https://hub.example.com', 'http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9']) {
      calls.length = 0;
      await expect(attempt(url)).rejects.toThrow();
      expect(calls.length, url).toBeGreaterThan(0);
    }
    calls.length = 0;
    await expect(attempt('http://hub.example.com', { CHATMILL_ALLOW_HTTP_HUB: '1' })).rejects.not.toThrow(/refusing/);
    expect(calls.length).toBeGreaterThan(0);
  });
});
