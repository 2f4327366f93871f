import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pidAlive, removeStaleTemps } from '../outputs/atomic.js';
import { UsageError } from '../types.js';

/** `out/.chatmill-staging-<pid>`: this run's outputs until they are promoted. */
const STAGING = /^\.chatmill-staging-(\d+)$/;
/** `out/.chatmill-old-<pid>-<name>`: a previous dataset folder moved aside while the new one moves in. */
const OLD = /^\.chatmill-old-(\d+)-/;
/** A leftover whose process id came back to life in another program is still removed after this long. */
const STALE_MS = 24 * 60 * 60 * 1000;

export const SUMMARY_FILE = 'summary.json';
/** `out/.chatmill-lock`: "<pid> <host>" of the run writing `out`, held from the start of the run to its end. */
export const LOCK_FILE = '.chatmill-lock';

/**
 * A pipeline run writes everything into a staging folder inside `out` (same file system, so moving a file
 * or folder out of it is an atomic rename) and promotes it only when the whole run has succeeded:
 *
 * 1. delete the old `summary.json`, so a folder without one is known to be incomplete;
 * 2. rename every staged file over its final name, and swap each staged folder (the dataset) in: old one
 *    aside, new one in, old one deleted;
 * 3. rename `summary.json` in last: its presence means the folder holds one complete run.
 *
 * A failed run removes its staging folder and leaves the previous outputs untouched. A killed run leaves
 * only its staging folder (or, killed mid-promotion, a folder without `summary.json`), which the next run
 * removes. Outputs outside `out` are staged beside their destination as `.name.staged-<pid>`.
 */
export class RunStaging {
  readonly dir: string;
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, string>();

  private constructor(readonly out: string) {
    this.dir = join(out, `.chatmill-staging-${process.pid}`);
  }

  /**
   * Create `out`, take its lock, and make a fresh staging folder after removing what killed runs left
   * behind. A second run into the same `out` while one is writing it is refused (exit 2): its promotion
   * would interleave with the first one's and leave a mix of both runs.
   */
  static async open(out: string): Promise<RunStaging> {
    await mkdir(out, { recursive: true });
    await takeLock(out);
    try {
      await removeLeftovers(out);
      const staging = new RunStaging(out);
      await rm(staging.dir, { recursive: true, force: true });
      await mkdir(staging.dir, { recursive: true });
      return staging;
    } catch (e) {
      await releaseLock(out);
      throw e;
    }
  }

  /** Where to write the file that will end up at `finalPath`. */
  file(finalPath: string): string {
    const staged = this.stagedPath(finalPath);
    this.files.set(finalPath, staged);
    return staged;
  }

  /** Where to build the folder that will replace `finalDir` as a whole (the dataset). */
  folder(finalDir: string): string {
    const staged = this.stagedPath(finalDir);
    this.dirs.set(finalDir, staged);
    return staged;
  }

  private stagedPath(finalPath: string): string {
    const rel = relative(resolve(this.out), resolve(finalPath));
    if (rel && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return join(this.dir, rel);
    return join(dirname(finalPath), `.${basename(finalPath)}.staged-${process.pid}`);
  }

  /** Remove stale `.staged-<pid>` leftovers of killed runs beside outputs outside `out`. */
  async cleanOutside(): Promise<void> {
    for (const [finalPath, staged] of this.files) if (!staged.startsWith(this.dir + sep)) await removeStaleTemps(finalPath);
  }

  /** Move the whole run into place; `summary.json` (registered with `file`) goes last. */
  async promote(): Promise<void> {
    // Find what would stop a rename (a file where a folder must go, a folder where a file must go) before
    // the first one, so a doomed promotion fails with the previous outputs still whole.
    for (const finalPath of this.files.keys()) await checkPlaceable(finalPath, 'file');
    for (const finalDir of this.dirs.keys()) await checkPlaceable(finalDir, 'dir');
    const summary = join(this.out, SUMMARY_FILE);
    await rm(summary, { force: true });
    const movedWithFolder = (staged: string) => [...this.dirs.values()].some((d) => staged.startsWith(d + sep));
    for (const [finalDir, staged] of this.dirs) await swapFolder(staged, finalDir, this.out);
    for (const [finalPath, staged] of this.files) {
      if (finalPath === summary || movedWithFolder(staged)) continue;
      await mkdir(dirname(finalPath), { recursive: true });
      await rename(staged, finalPath);
    }
    const stagedSummary = this.files.get(summary);
    if (stagedSummary) await rename(stagedSummary, summary);
    await rm(this.dir, { recursive: true, force: true });
    await releaseLock(this.out);
  }

  /** A failed run: remove everything staged; the previous outputs stay as they were. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    for (const staged of this.files.values()) {
      if (staged.startsWith(this.dir + sep)) continue;
      await rm(staged, { force: true });
      // The JSONL writer's own temporary of a staged file outside `out`.
      await rm(join(dirname(staged), `.${basename(staged)}.tmp-${process.pid}`), { force: true });
    }
    await releaseLock(this.out);
  }
}

/**
 * Create the lock with O_EXCL. A lock left by a process that is gone (killed, crashed) on this host is taken
 * over; one held by a live process, or written on another host (whose processes we cannot see, as on shared
 * storage), is refused with a message naming it. Two runs taking over the same stale lock at once can both
 * pass; that needs a crash and a double start within milliseconds, and costs at worst the race this lock
 * otherwise prevents.
 */
async function takeLock(out: string): Promise<void> {
  const path = join(out, LOCK_FILE);
  const host = hostname();
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${process.pid} ${host}\n`, { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    // The holder finished between our create and our read: try again.
    if (text === undefined && attempt < 3) continue;
    const [pidText = '', holderHost = ''] = (text ?? '').trim().split(' ');
    const pid = Number(pidText);
    const gone = holderHost === host && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid);
    if (gone && attempt < 3) {
      await rm(path, { force: true });
      continue;
    }
    const who = pidText ? `process ${pidText} on ${holderHost || 'an unknown host'}` : 'another process';
    throw new UsageError(
      `${out} is being written by another chatmill run (${who}); wait for it to finish, or pick another --out. ` +
        `If no such run exists any more, remove ${path}`,
    );
  }
}

/** Remove the lock if it is this process's. */
async function releaseLock(out: string): Promise<void> {
  const path = join(out, LOCK_FILE);
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text === `${process.pid} ${hostname()}\n`) await rm(path, { force: true });
}

/** Whether `path` can become a file (or folder): its nearest existing ancestor is a folder, and it is not the other kind. */
async function checkPlaceable(path: string, kind: 'file' | 'dir'): Promise<void> {
  const here = await stat(path).catch(() => undefined);
  if (here && here.isDirectory() !== (kind === 'dir')) {
    throw new Error(`cannot write ${path}: a ${here.isDirectory() ? 'folder' : 'file'} is in the way`);
  }
  for (let p = dirname(path); ; p = dirname(p)) {
    const s = await stat(p).catch(() => undefined);
    if (s && !s.isDirectory()) throw new Error(`cannot write ${path}: ${p} is a file, not a folder`);
    if (s || dirname(p) === p) return;
  }
}

/** Replace `finalDir` with `staged`: old one aside, new one in (two renames), then delete the old one. */
async function swapFolder(staged: string, finalDir: string, out: string): Promise<void> {
  const exists = await stat(staged).catch(() => undefined);
  if (!exists) return;
  await mkdir(dirname(finalDir), { recursive: true });
  const aside = join(out, `.chatmill-old-${process.pid}-${basename(finalDir)}`);
  let movedAside = false;
  try {
    await rename(finalDir, aside);
    movedAside = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await rename(staged, finalDir);
  if (movedAside) await rm(aside, { recursive: true, force: true });
}

/** Staging and moved-aside folders of runs that are no longer running (killed, or crashed mid-promotion). */
async function removeLeftovers(out: string): Promise<void> {
  for (const name of await readdir(out)) {
    const m = STAGING.exec(name) ?? OLD.exec(name);
    if (!m) continue;
    const path = join(out, name);
    const pid = Number(m[1]);
    const old = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0) > STALE_MS;
    if (pid === process.pid || !pidAlive(pid) || old) await rm(path, { recursive: true, force: true });
  }
}
