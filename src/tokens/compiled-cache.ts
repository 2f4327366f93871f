import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { tempPathFor } from '../outputs/atomic.js';
import { COMPILED_FORMAT_VERSION, ContainerError } from './compiled-format.js';
import { CompiledTokenizer } from './compiled.js';
import { libraryVersion } from './compile.js';

/**
 * The on-disk cache of compiled tokenizers: `CHATMILL_CACHE`, else the user cache directory (XDG_CACHE_HOME or
 * ~/.cache on Linux, ~/Library/Caches on macOS, LOCALAPPDATA on Windows) + `/chatmill`. One file per tokenizer,
 * named by the sha256 of its tokenizer.json bytes (plus the preset that patches it) and the format version.
 * The cache only saves time: a file that is missing, short, damaged or from another library version is
 * compiled again and replaced; a cache directory that cannot be written is skipped.
 */

export function compiledCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHATMILL_CACHE) return env.CHATMILL_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'chatmill');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'chatmill');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chatmill');
}

export const compiledCachePath = (key: string, dir = compiledCacheDir()) => join(dir, `tokenizer-${key}.v${COMPILED_FORMAT_VERSION}.bin`);

/** Read a whole file into a SharedArrayBuffer (one copy, shareable with worker threads). */
function readShared(path: string): SharedArrayBuffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const sab = new SharedArrayBuffer(size);
    const view = new Uint8Array(sab);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    if (at !== size) throw new ContainerError(`read ${at} of ${size} bytes`);
    return sab;
  } finally {
    closeSync(fd);
  }
}

/** What happened to the cache on a lookup (tests and the bench read it). */
export type CacheOutcome = 'hit' | 'missing' | 'rebuilt' | 'unwritable';

/**
 * The compiled tokenizer cached under `key`, checked (length, checksum, library version); undefined when there is
 * none or it cannot be trusted, with the reason in `why`.
 */
export function readCompiled(path: string): { tables?: CompiledTokenizer; why?: string } {
  let sab: SharedArrayBuffer;
  try {
    sab = readShared(path);
  } catch (err) {
    return { why: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message };
  }
  try {
    const tables = CompiledTokenizer.fromBuffer(sab, { verify: true });
    if (tables.meta.library !== libraryVersion()) return { why: `compiled by @huggingface/tokenizers ${tables.meta.library}` };
    return { tables };
  } catch (err) {
    if (err instanceof ContainerError || err instanceof SyntaxError) return { why: err.message };
    throw err;
  }
}

/** Write whole or not at all (temp + rename); false when the directory cannot be written. */
export function writeCompiled(path: string, bytes: Uint8Array, dir: string): boolean {
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
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
