import { unlinkSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Outputs appear whole: every file is written under a hidden temporary name in its own directory (same
 * filesystem, so the final rename is atomic) and renamed into place only when complete. A reader of the
 * final name sees the previous complete file or the new complete file, never a half-written one.
 *
 * This protects against a failed or killed process, not against power loss (there is no fsync).
 */

/** The temporary name of `path` for this process: `.name.tmp-<pid>` beside it. */
export const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);

/** Temporaries this process has open; removed on exit if nobody committed or discarded them. */
const openTemps = new Set<string>();
let exitHookInstalled = false;

export function trackTemp(path: string): void {
  openTemps.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A command that fails between open and rename must not leave its hidden temporary behind.
    process.on('exit', () => {
      for (const p of openTemps) {
        try {
          unlinkSync(p);
        } catch {
          // already gone
        }
      }
    });
  }
}

export const untrackTemp = (path: string): void => void openTemps.delete(path);

/** Whether a process with this id is running (a pid we may not signal is someone else's live process). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Remove temporaries of `path` left by killed processes (`.name.tmp-<pid>` whose pid is gone). One readdir of
 * the output's directory, done once per output file, so a kill -9 does not leave hidden files piling up.
 */
export async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const pattern = new RegExp(`^\\.${escape(basename(path))}\\.(?:tmp|staged)-(\\d+)$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m && !pidAlive(Number(m[1]))) await rm(join(dir, name), { force: true });
  }
}

/** Write a whole file atomically: temp beside it, then rename. On error the temporary is removed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  trackTemp(temp);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  } finally {
    untrackTemp(temp);
  }
}
