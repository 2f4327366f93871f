import { type BigIntStats, closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { tempPathFor } from '../outputs/atomic.js';
import { COMPILED_FORMAT_VERSION, ContainerError, headerEnd, readHeader, storedChecksum } from './compiled-format.js';
import { CompiledTokenizer, type PendingBytes } from './compiled.js';
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

/** The same file, unchanged: identity, size, modification and change times (any write moves the change time). */
const sameFile = (a: BigIntStats, b: BigIntStats) =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/**
 * The open file is still the file checked: as sameFile, but a file replaced by a rename (how the cache is
 * written) or removed has its change time moved by the unlink alone. Once it has no name left, no one can open
 * it to write it, so its size and modification time are enough.
 */
const sameOpenFile = (now: BigIntStats, checked: BigIntStats) =>
  sameFile(now, checked) || (now.nlink === 0n && now.dev === checked.dev && now.ino === checked.ino && now.size === checked.size && now.mtimeNs === checked.mtimeNs);

/** Read file bytes [start, end) into view[start, end); false when the file ends first. */
function readRange(fd: number, view: Uint8Array, start: number, end: number): boolean {
  let at = start;
  while (at < end) {
    const n = readSync(fd, view, at, end - at, at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

/**
 * The unread rest of a cache file whose bytes its stamp vouches for, read on first use from the descriptor opened
 * when the stamp was checked. A file replaced by a rename (how the cache writes) does not matter: the descriptor
 * still reads the file that was checked. A file written in place, or truncated, does: every read is followed by
 * a look at the file's stats, and bytes read after any change are refused with an error, never used.
 */
class StampedFileRest implements PendingBytes {
  /** Closes the descriptor of tables dropped before they were read whole (a small run never reads them whole). */
  private static readonly closer = new FinalizationRegistry<number>((fd) => {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  });

  private fd: number;

  constructor(
    fd: number,
    private readonly path: string,
    private readonly checked: BigIntStats,
    private readonly view: Uint8Array,
    readonly from: number,
  ) {
    this.fd = fd;
  }

  /** Close the file when `owner` is collected before done(). */
  closeWith(owner: object): void {
    StampedFileRest.closer.register(owner, this.fd, this);
  }

  fill(start: number, end: number): void {
    if (this.fd < 0) throw new ContainerError(`compiled tokenizer ${this.path}: read after it was closed`);
    const whole = readRange(this.fd, this.view, start, end);
    if (!whole || !sameOpenFile(fstatSync(this.fd, { bigint: true }), this.checked)) {
      throw new ContainerError(`compiled tokenizer ${this.path} ${whole ? 'changed' : 'was truncated'} while chatmill was reading it; run again to rebuild it`);
    }
  }

  done(): void {
    if (this.fd < 0) return;
    StampedFileRest.closer.unregister(this);
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** What happened to the cache on a lookup (tests and the bench read it). */
export type CacheOutcome = 'hit' | 'missing' | 'rebuilt' | 'unwritable';

/** Tables, or why there are none; `checked`: how the tables' bytes were trusted (see readCompiled, loadCompiled). */
export interface CompiledRead {
  tables?: CompiledTokenizer;
  why?: string;
  checked?: 'crc32' | 'stamp' | 'memory';
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * The compiled tokenizer cached at `path`, checked (length, checksum or its stamp, library version); undefined
 * when there is none or it cannot be trusted, with the reason in `why`. `checked` says how its bytes were
 * trusted: their CRC-32 computed now, or the stamp of an earlier run that computed it on this same file.
 *
 * A file trusted by its stamp is read only up to its merge table (8 MB of 11): its pages are read when a lookup
 * first reaches them (src/tokens/compiled.ts), and the rest in one go when the tables go to worker threads. A
 * file that must be checksummed is read whole, as the checksum covers every byte. Either way the bytes land in
 * one SharedArrayBuffer, which worker threads view without copying.
 */
export function readCompiled(path: string, dir = dirname(path)): CompiledRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { why: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message };
  }
  let keepOpen = false;
  let rest: StampedFileRest | undefined;
  try {
    const before = fstatSync(fd, { bigint: true });
    const sab = new SharedArrayBuffer(Number(before.size));
    const view = new Uint8Array(sab);
    // The prefix holds the checksum the stamp is compared with, and the header's length.
    const prefixRead = readRange(fd, view, 0, Math.min(view.length, 64));
    const crc = storedChecksum(sab);
    const stamped = prefixRead && crc !== undefined && stampedValue(path, dir, 'crc32', before) === hex8(crc);
    let tables: CompiledTokenizer;
    if (stamped) {
      if (!readRange(fd, view, 0, Math.min(view.length, headerEnd(view)))) throw new ContainerError('truncated while reading its header');
      const from = readHeader(view.subarray(0, headerEnd(view))).sections.mergeTable?.offset ?? view.length;
      if (!readRange(fd, view, 0, from)) throw new ContainerError(`read less than its first ${from} bytes`);
      rest = new StampedFileRest(fd, path, before, view, from);
      tables = CompiledTokenizer.fromPartialBuffer(sab, rest);
      keepOpen = true;
      rest.closeWith(tables);
    } else {
      if (!readRange(fd, view, 0, view.length)) throw new ContainerError(`read less than its ${view.length} bytes`);
      tables = CompiledTokenizer.fromBuffer(sab, { verify: true });
      // Verified just now: remember it (best effort; not for a file written in the last 2 s, see compiled-stamp.ts),
      // unless it changed while it was read.
      if (sameFile(fstatSync(fd, { bigint: true }), before)) writeStamp(path, before, hex8(crc!), dir, 'crc32');
    }
    if (tables.meta.library !== libraryVersion()) {
      keepOpen = false;
      return { why: `compiled by @huggingface/tokenizers ${tables.meta.library}` };
    }
    return { tables, checked: stamped ? 'stamp' : 'crc32' };
  } catch (err) {
    keepOpen = false;
    if (err instanceof ContainerError || err instanceof SyntaxError) return { why: err.message };
    throw err;
  } finally {
    if (!keepOpen) {
      if (rest) rest.done();
      else closeSync(fd);
    }
  }
}

/**
 * Compiled tables this process has already loaded, one per cache key (the last file it came from). The key is
 * content-addressed: the sha256 of the tokenizer.json bytes (and the preset that patches them) in a file name
 * that also carries the format version, and compiling is deterministic for a given library version (which
 * readCompiled checks). So tables loaded once are the right tables for that key for the rest of the process,
 * whatever happens to the file later, and they are immutable: everything reads them, nothing writes them. A
 * `run` that tokenizes SFT and then DPO records loads them once, not twice (~50 ms and 11 MB each).
 * They are reused only while the cache file is still the same, unchanged file, so a file damaged or replaced
 * between two loads is still checked (and rebuilt) as it would be in a new process.
 */
const loadedTables = new Map<string, { path: string; file: BigIntStats; tables: CompiledTokenizer }>();

const statOf = (path: string): BigIntStats | undefined => {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
};

/**
 * The compiled tables for `key` in the cache folder `dir`: those this process loaded from that same unchanged
 * file before (`checked: 'memory'`, no file read), else readCompiled's.
 */
export function loadCompiled(key: string, dir: string): CompiledRead {
  const path = compiledCachePath(key, dir);
  const known = loadedTables.get(key);
  if (known && known.path === path) {
    const now = statOf(path);
    if (now && sameFile(now, known.file)) return { tables: known.tables, checked: 'memory' };
  }
  const read = readCompiled(path, dir);
  if (read.tables) rememberCompiled(key, dir, read.tables);
  return read;
}

/** Remember the tables of `key` as those of its cache file in `dir` as it is now (after reading or writing it). */
export function rememberCompiled(key: string, dir: string, tables: CompiledTokenizer): void {
  const path = compiledCachePath(key, dir);
  const file = statOf(path);
  if (file) loadedTables.set(key, { path, file, tables });
  else loadedTables.delete(key);
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
