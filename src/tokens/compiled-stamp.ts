import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, type BigIntStats, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempPathFor } from '../outputs/atomic.js';

/**
 * Stamps: the sha256 of a tokenizer.json remembered beside the compiled-tokenizer cache, with the file's identity
 * (device, inode, size) and its modification and change times in nanoseconds, as git's index remembers a file.
 * While all of them are unchanged the sha256 is taken from the stamp, and a run whose compiled tables are cached
 * never reads the 9 MB file (reading and hashing it was a fifth of a small audit). Any write to the file moves
 * its change time, which no user tool can set back; a file changed within 2 s of being stamped is not stamped
 * (so a write in the same clock tick as the stamp cannot go unseen). The stamp only saves time: a missing,
 * unreadable or stale one means the file is read and hashed, as before.
 *
 * The compiled-tokenizer cache files are stamped the same way, with the CRC-32 their checksum was verified
 * against (src/tokens/compiled-cache.ts): while a cache file is the very file verified before, its 11 MB are
 * not checksummed again on every start.
 */

const RACY_NS = 2_000_000_000n;

/** What a stamp remembers about the file's bytes: a tokenizer.json's sha256, or a cache file's verified CRC-32. */
export type StampKind = 'sha256' | 'crc32';
const VALUE_SHAPE: Record<StampKind, RegExp> = { sha256: /^[0-9a-f]{64}$/, crc32: /^[0-9a-f]{8}$/ };

interface Stamp {
  path: string;
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  sha256?: string;
  crc32?: string;
}

function fingerprint(path: string, st: BigIntStats): Omit<Stamp, StampKind> {
  return { path, dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function stampPath(path: string, dir: string): { real: string; file: string } {
  const real = realpathSync(path);
  return { real, file: join(dir, 'stamps', `${createHash('sha256').update(real).digest('hex').slice(0, 32)}.json`) };
}

/** The remembered sha256 of `path`'s bytes, when its stamp in `dir` matches the file as it is now; else undefined. */
export function stampedSha256(path: string, dir: string): string | undefined {
  return stampedValue(path, dir, 'sha256');
}

/**
 * The remembered `kind` value of `path`, when its stamp in `dir` matches the file: as it is now, or as `seen`
 * (stats the caller took of the file it read, by descriptor); else undefined.
 */
export function stampedValue(path: string, dir: string, kind: StampKind, seen?: BigIntStats): string | undefined {
  try {
    const { real, file } = stampPath(path, dir);
    const stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
    const now = fingerprint(real, seen ?? statSync(real, { bigint: true }));
    for (const k of Object.keys(now) as Array<keyof typeof now>) if (stamp[k] !== now[k]) return undefined;
    const value = stamp[kind];
    return typeof value === 'string' && VALUE_SHAPE[kind].test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remember `value` for `path` (the sha256 of the bytes just read from it, or the CRC-32 they were verified
 * against; `before` is the file's stats taken before reading, so a write during the read leaves them unequal and
 * nothing is stamped). Best effort: false when not stamped.
 */
export function writeStamp(path: string, before: BigIntStats, value: string, dir: string, kind: StampKind = 'sha256'): boolean {
  try {
    const { real, file } = stampPath(path, dir);
    const after = statSync(real, { bigint: true });
    const a = fingerprint(real, before);
    const b = fingerprint(real, after);
    if ((Object.keys(a) as Array<keyof typeof a>).some((k) => k !== 'path' && a[k] !== b[k])) return false;
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    if (nowNs - after.mtimeNs < RACY_NS || nowNs - after.ctimeNs < RACY_NS) return false;
    mkdirSync(join(dir, 'stamps'), { recursive: true });
    const tmp = tempPathFor(file);
    writeFileSync(tmp, `${JSON.stringify({ ...b, [kind]: value } satisfies Stamp)}\n`);
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
