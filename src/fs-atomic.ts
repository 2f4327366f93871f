import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A hidden temporary name beside `path` (same directory, so the final rename is atomic). */
export const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);

/**
 * Write a whole file under a temporary name, then rename it into place: a reader (or a killed run) sees the old
 * file or the new one, never a half-written one. The temporary is removed when the write fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
