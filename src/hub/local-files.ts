/**
 * What is on disk: every regular file under the export directory, with its size and sha256.
 * `manifest.json` (written by `chatmill export`) already carries sha256 for the data files, so
 * those are not re-read unless the recorded size disagrees with the file on disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { UsageError } from '../types.js';

export interface LocalFile {
  /** Path inside the repo, `/`-separated, relative to the export directory. */
  path: string;
  /** Absolute path on disk. */
  absPath: string;
  size: number;
  sha256: string;
}

async function hashFile(options: { absPath: string; prefix?: Buffer; algorithm: 'sha256' | 'sha1' }): Promise<string> {
  const hash = createHash(options.algorithm);
  if (options.prefix) hash.update(options.prefix);
  for await (const chunk of createReadStream(options.absPath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The oid git gives a regular (non-LFS) file: sha1 over `blob <len>\0` followed by the bytes. */
export function gitBlobSha1(options: { absPath: string; size: number }): Promise<string> {
  return hashFile({ absPath: options.absPath, prefix: Buffer.from(`blob ${options.size}\0`), algorithm: 'sha1' });
}

/** sha256 values from manifest.json, keyed by path; empty when the manifest is absent or unusable. */
async function readManifest(dir: string): Promise<Map<string, { size: number; sha256: string }>> {
  const known = new Map<string, { size: number; sha256: string }>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return known; // No manifest (or a broken one): we hash everything ourselves.
  }
  const files = (parsed as { files?: unknown })?.files;
  if (!Array.isArray(files)) return known;
  for (const entry of files) {
    const { path, size, sha256 } = (entry ?? {}) as Record<string, unknown>;
    if (typeof path === 'string' && typeof size === 'number' && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)) {
      known.set(posix.normalize(path), { size, sha256 });
    }
  }
  return known;
}

/**
 * Walk the directory. Dot-files and dot-directories are left out (they are never part of an export and
 * may hold secrets such as `.env`); symlinks are left out so nothing outside the directory is published.
 */
export async function scanExportDir(options: { dir: string }): Promise<LocalFile[]> {
  const { dir } = options;
  const top = await lstat(dir).catch(() => undefined);
  if (!top?.isDirectory()) throw new UsageError(`${dir} is not a directory`);
  const manifest = await readManifest(dir);
  const found: LocalFile[] = [];

  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absPath = join(current, entry.name);
      if (entry.isDirectory()) await walk(absPath);
      else if (entry.isFile()) {
        const path = relative(dir, absPath).split(sep).join('/');
        const { size } = await lstat(absPath);
        const recorded = manifest.get(path);
        const sha256 = recorded && recorded.size === size ? recorded.sha256 : await hashFile({ absPath, algorithm: 'sha256' });
        found.push({ path, absPath, size, sha256 });
      }
    }
  };
  await walk(dir);
  if (found.length === 0) throw new UsageError(`${dir} holds no files to publish`);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
