/** Shared test helpers: build export directories on disk and read files back through the Hub client. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { downloadFile } from '@huggingface/hub';

export const TOKEN = `hf_${randomBytes(18).toString('hex')}StandInSecret`;

/** Deterministic pseudo-random bytes, so every file has distinct content. */
export function bytesFor(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** `data/{config}/{split}-{i:05d}-of-{n:05d}.parquet` shard names, computed by hand here. */
export function shardNames(config: string, split: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `data/${config}/${split}-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.parquet`);
}

const made: string[] = [];

/**
 * Write files under a fresh temp dir, plus manifest.json listing size and sha256 of each (as `chatmill export`
 * does; `push` refuses a folder without one). `manifest: false` leaves it out, for the refusal tests.
 */
export async function makeExportDir(options: { files: Record<string, Buffer | string>; manifest?: boolean }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chatmill-push-'));
  made.push(dir);
  await writeFiles(dir, options.files);
  if (options.manifest !== false) {
    const files = Object.entries(options.files).map(([path, content]) => {
      const bytes = Buffer.from(content);
      return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ files }, null, 2));
  }
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

export async function cleanupDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** Download a file with the real client (`resolve` endpoint) and return its bytes. */
export async function readBack(options: { hubUrl: string; repo: string; path: string; revision?: string }): Promise<Buffer | null> {
  const blob = await downloadFile({ repo: { type: 'dataset', name: options.repo }, path: options.path, hubUrl: options.hubUrl, accessToken: TOKEN, revision: options.revision });
  return blob ? Buffer.from(await blob.arrayBuffer()) : null;
}

/** A fast retry policy for tests: no real waiting, delays recorded. */
export function fastRetry() {
  const delays: number[] = [];
  return { delays, retry: { sleep: async (ms: number) => void delays.push(ms), maxAttempts: 8 } };
}
