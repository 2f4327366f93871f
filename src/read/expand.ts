import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../types.js';

/** File endings a directory walk picks up; anything else in a directory (README, LICENSE) is not data. */
const DATA_FILE = /\.(jsonl|ndjson|json|parquet)(\.gz)?$/i;
const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Turn the inputs a user typed into a sorted, de-duplicated list of files: `-` is stdin, a directory
 * means every data file below it (following symlinks, to files and to directories), a pattern with
 * * ? [ ] { } is a glob. A path that matches nothing, or is not a regular file (a FIFO, a socket, a
 * device such as /dev/zero), or a directory that cannot be listed, is a usage error (exit 2), never
 * silently skipped. A file reached twice (a symlink to it, `./a` and `a`) is read once.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>(); // real paths of the files listed so far
  const add = async (file: string) => {
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) return;
    seen.add(real);
    out.push(file);
  };
  for (const input of inputs) {
    if (input === '-') {
      if (!seen.has('-')) out.push('-');
      seen.add('-');
      continue;
    }
    const info = await statOrWhy(input);
    if (typeof info !== 'string' && info.isDirectory()) {
      const files: string[] = [];
      await walk(input, files, new Set());
      if (!files.length) throw new UsageError(`${input} is a directory with no .json/.jsonl/.parquet/.gz files`);
      for (const f of files) await add(f);
    } else if (typeof info !== 'string') {
      assertRegular(input, info);
      await add(input);
    } else if (GLOB_CHARS.test(input)) {
      // Paths come back as the user wrote the pattern: absolute for an absolute pattern, else relative.
      // tinyglobby loads only when a pattern is given: most runs name files, and its import is start-up time.
      const { glob } = await import('tinyglobby');
      const files = (await glob(input, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) })).sort();
      if (!files.length) throw new UsageError(`no files match ${input}`);
      for (const f of files) await add(f);
    } else {
      throw new UsageError(`cannot read ${input}: ${info}`);
    }
  }
  return out;
}

/** The file's stats (through symlinks), or why there are none, in words. */
async function statOrWhy(path: string): Promise<Stats | string> {
  try {
    return await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // lstat succeeds on a symlink whose target is missing.
      const link = await lstat(path).catch(() => undefined);
      return link?.isSymbolicLink() ? 'it is a broken symlink (its target does not exist)' : 'no such file or directory';
    }
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ELOOP') return 'too many levels of symlinks';
    return (e as Error).message;
  }
}

/** Only regular files are read: a FIFO or a device would block or never end (/dev/zero). */
function assertRegular(path: string, info: Stats): void {
  if (info.isFile()) return;
  const kind = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isSocket()
      ? 'a socket'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : 'not a file or directory';
  throw new UsageError(`${path} is ${kind}, not a regular file; pass a file, a directory, a glob, or - for stdin`);
}

/**
 * Every data file below `dir`, sorted by name at each level. Symlinks are followed; `visited` holds the
 * real path of every directory walked, so a link back up the tree (or two links to one directory) cannot
 * loop or list files twice. A directory that cannot be listed is a usage error naming it.
 */
async function walk(dir: string, files: string[], visited: Set<string>): Promise<void> {
  let real: string;
  let entries;
  try {
    real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read directory ${dir}: ${why}`);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, files, visited);
    else if (e.isFile()) {
      if (DATA_FILE.test(e.name)) files.push(p);
    } else if (e.isSymbolicLink()) {
      // Hugging Face cache snapshots are folders of symlinks into blobs/ (whose names have no extension):
      // the link's own name says whether it is data.
      const info = await statOrWhy(p);
      if (typeof info !== 'string' && info.isDirectory()) await walk(p, files, visited);
      else if (DATA_FILE.test(e.name)) {
        if (typeof info === 'string') throw new UsageError(`cannot read ${p}: ${info}`);
        assertRegular(p, info);
        files.push(p);
      }
    } else if (DATA_FILE.test(e.name)) {
      assertRegular(p, await stat(p));
    }
  }
}
