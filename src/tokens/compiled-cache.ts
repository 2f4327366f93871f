import { type BigIntStats, closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { tempPathFor } from '../outputs/atomic.js';
import { COMPILED_FORMAT_VERSION, ContainerError, storedChecksum } from './compiled-format.js';
import { CompiledTokenizer } from './compiled.js';
import { libraryVersion } from './compile.js';
import { stampedValue, writeStamp } from './compiled-stamp.js';

/**
 * The on-disk cache of compiled tokenizers: `CHATMILL_CACHE`, else the user cache directory (XDG_CACHE_HOME or
 * ~/.cache on Linux, ~/Library/Caches on macOS, LOCALAPPDATA on Windows) + `/chatmill`. One file per tokenizer,
 * named by the sha256 of its tokenizer.json bytes (plus the preset that patches it) and the format version.
 * The cache only saves time: a file that is missing, short, damaged or from another library version is
 * compiled again and replaced; a cache directory that cannot be written is skipped. Writing a file removes the
 * same key's files of other format versions, which nothing reads any more.
 *
 * A cache file's checksum is verified when the file is first read; its stamp (src/tokens/compiled-stamp.ts) then
 * remembers the file as verified, and later runs skip the checksum (about 30 ms of an 11 MB CRC-32) while the
 * file is that same file, unchanged: any write to it moves its change time, and it is verified again.
 */

export function compiledCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHATMILL_CACHE) return env.CHATMILL_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'chatmill');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'chatmill');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chatmill');
}

export const compiledCachePath = (key: string, dir = compiledCacheDir()) => join(dir, `tokenizer-${key}.v${COMPILED_FORMAT_VERSION}.bin`);

/**
 * Read a whole file into a SharedArrayBuffer (one copy, shareable with worker threads), with the file's stats
 * when it did not change while it was read (undefined when it did: then it must not be taken as stamped).
 */
function readShared(path: string): { sab: SharedArrayBuffer; stats?: BigIntStats } {
  const fd = openSync(path, 'r');
  try {
    const before = fstatSync(fd, { bigint: true });
    const size = Number(before.size);
    const sab = new SharedArrayBuffer(size);
    const view = new Uint8Array(sab);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    if (at !== size) throw new ContainerError(`read ${at} of ${size} bytes`);
    const after = fstatSync(fd, { bigint: true });
    const unchanged = after.size === before.size && after.mtimeNs === before.mtimeNs && after.ctimeNs === before.ctimeNs;
    return { sab, stats: unchanged ? before : undefined };
  } finally {
    closeSync(fd);
  }
}

/** What happened to the cache on a lookup (tests and the bench read it). */
export type CacheOutcome = 'hit' | 'missing' | 'rebuilt' | 'unwritable';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * The compiled tokenizer cached at `path`, checked (length, checksum or its stamp, library version); undefined
 * when there is none or it cannot be trusted, with the reason in `why`. `checked` says how its bytes were
 * trusted: their CRC-32 computed now, or the stamp of an earlier run that computed it on this same file.
 */
export function readCompiled(path: string, dir = dirname(path)): { tables?: CompiledTokenizer; why?: string; checked?: 'crc32' | 'stamp' } {
  let read: ReturnType<typeof readShared>;
  try {
    read = readShared(path);
  } catch (err) {
    return { why: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message };
  }
  const { sab, stats } = read;
  const crc = storedChecksum(sab);
  const stamped = stats !== undefined && crc !== undefined && stampedValue(path, dir, 'crc32', stats) === hex8(crc);
  try {
    const tables = CompiledTokenizer.fromBuffer(sab, { verify: !stamped });
    if (tables.meta.library !== libraryVersion()) return { why: `compiled by @huggingface/tokenizers ${tables.meta.library}` };
    // Verified just now: remember it (best effort; not for a file written in the last 2 s, see compiled-stamp.ts).
    if (!stamped && stats) writeStamp(path, stats, hex8(crc!), dir, 'crc32');
    return { tables, checked: stamped ? 'stamp' : 'crc32' };
  } catch (err) {
    if (err instanceof ContainerError || err instanceof SyntaxError) return { why: err.message };
    throw err;
  }
}

/**
 * Write whole or not at all (temp + rename); false when the directory cannot be written. Then remove the same
 * key's files of other format versions (`tokenizer-KEY.vN.bin`).
 */
export function writeCompiled(path: string, bytes: Uint8Array, dir: string): boolean {
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    removeOtherVersions(path);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    return false;
  }
}

/** Copy compiled bytes into a SharedArrayBuffer and view them (after compiling, when nothing was read from disk). */
export function sharedTables(bytes: Uint8Array): CompiledTokenizer {
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return CompiledTokenizer.fromBuffer(sab, { verify: false });
}

/** Remove `tokenizer-KEY.vN.bin` beside `path` for every N but `path`'s own (best effort: the cache only saves time). */
function removeOtherVersions(path: string): void {
  const name = basename(path);
  const stem = name.replace(/\.v\d+\.bin$/, '.v');
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const other of names) {
    if (other === name || !other.startsWith(stem) || !/^\d+\.bin$/.test(other.slice(stem.length))) continue;
    try {
      unlinkSync(join(dir, other));
    } catch {
      // gone already, or not ours to remove
    }
  }
}
