/**
 * What is on disk, checked against the dataset's manifest before anything is published.
 *
 * `manifest.json` is the commit point of an export: `chatmill export` / `run` remove it before they touch a
 * dataset folder and write it last, listing every file with its size and sha256. So a folder whose manifest is
 * missing, or does not describe exactly the files present, is an export that was stopped or altered, and
 * `push` refuses it rather than publish a half-written or mixed dataset.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { UsageError } from '../types.js';
import { MANIFEST_FILE } from '../export/manifest.js';

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

const incomplete = (dir: string, why: string) =>
  new UsageError(`${dir} is not a complete dataset: ${why}. Nothing was pushed; re-run \`chatmill export\` or \`chatmill run\` to rebuild it.`);

/** A manifest path must stay inside the folder: relative, `/`-separated, no `.`/`..` segments. */
const isCleanPath = (p: string) =>
  p.length > 0 && !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

/** The manifest's file list, keyed by path. Missing, unreadable or malformed manifests are refused. */
async function readManifest(dir: string): Promise<Map<string, { size: number; sha256: string }>> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw incomplete(dir, code === 'ENOENT' ? `it has no ${MANIFEST_FILE} (an export that was stopped, or a folder chatmill did not write)` : `cannot read ${MANIFEST_FILE} (${code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw incomplete(dir, `${MANIFEST_FILE} is not valid JSON`);
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw incomplete(dir, `${MANIFEST_FILE} has no "files" list`);
  const listed = new Map<string, { size: number; sha256: string }>();
  for (const entry of files) {
    const { path, size, sha256 } = (entry ?? {}) as Record<string, unknown>;
    const ok = typeof path === 'string' && isCleanPath(path) && Number.isSafeInteger(size) && (size as number) >= 0 && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256);
    if (!ok) throw incomplete(dir, `${MANIFEST_FILE} has a malformed entry ${JSON.stringify(entry)?.slice(0, 200)}`);
    if (path === MANIFEST_FILE || listed.has(path)) throw incomplete(dir, `${MANIFEST_FILE} lists ${path} twice or lists itself`);
    listed.set(path, { size: size as number, sha256 });
  }
  return listed;
}

/** Regular files under `dir`, skipping dot-files/dot-folders (temporaries, `.env`) and symlinks (nothing outside is published). */
async function walkFiles(dir: string): Promise<{ path: string; absPath: string; size: number }[]> {
  const found: { path: string; absPath: string; size: number }[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const absPath = join(current, entry.name);
      if (entry.isDirectory()) await walk(absPath);
      else if (entry.isFile()) found.push({ path: relative(dir, absPath).split(sep).join(posix.sep), absPath, size: (await lstat(absPath)).size });
    }
  };
  await walk(dir);
  return found;
}

const listSome = (paths: string[]) => paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');

/**
 * The files to publish, each checked against the manifest: the folder must hold exactly the files the
 * manifest lists (plus the manifest), with the listed sizes and sha256. Every file is hashed here, so a
 * shard rewritten or truncated after the manifest was written is caught, not published.
 */
export async function scanExportDir(options: { dir: string }): Promise<LocalFile[]> {
  const { dir } = options;
  const top = await lstat(dir).catch(() => undefined);
  if (!top?.isDirectory()) throw new UsageError(`${dir} is not a directory`);
  const listed = await readManifest(dir);
  const onDisk = await walkFiles(dir);
  const present = new Set(onDisk.map((f) => f.path));

  const unlisted = onDisk.map((f) => f.path).filter((p) => p !== MANIFEST_FILE && !listed.has(p));
  if (unlisted.length) throw incomplete(dir, `${unlisted.length} file(s) are not in ${MANIFEST_FILE}: ${listSome(unlisted)}`);
  const missing = [...listed.keys()].filter((p) => !present.has(p));
  if (missing.length) throw incomplete(dir, `${missing.length} file(s) listed in ${MANIFEST_FILE} are missing: ${listSome(missing)}`);

  const found: LocalFile[] = [];
  for (const file of onDisk) {
    const sha256 = await hashFile({ absPath: file.absPath, algorithm: 'sha256' });
    const expected = listed.get(file.path);
    if (expected && expected.size !== file.size) throw incomplete(dir, `${file.path} is ${file.size} bytes, ${MANIFEST_FILE} says ${expected.size}`);
    if (expected && expected.sha256 !== sha256) throw incomplete(dir, `${file.path} does not match the sha256 in ${MANIFEST_FILE}`);
    found.push({ ...file, sha256 });
  }
  if (listed.size === 0) throw new UsageError(`${dir} holds no files to publish`);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
