import { stat, readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { glob } from 'tinyglobby';
import { UsageError } from '../types.js';

/** File endings a directory walk picks up; anything else in a directory (README, LICENSE) is not data. */
const DATA_FILE = /\.(jsonl|ndjson|json|parquet)(\.gz)?$/i;
const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Turn the inputs a user typed into a sorted, de-duplicated list of files: `-` is stdin, a directory
 * means every data file below it, a pattern with * ? [ ] { } is a glob. A path that matches nothing is
 * a usage error (exit 2), never silently skipped.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const files = await walk(input);
      if (!files.length) throw new UsageError(`${input} is a directory with no .json/.jsonl/.parquet/.gz files`);
      out.push(...files);
    } else if (info?.isFile()) {
      out.push(input);
    } else if (GLOB_CHARS.test(input)) {
      // Paths come back as the user wrote the pattern: absolute for an absolute pattern, else relative.
      const files = (await glob(input, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) })).sort();
      if (!files.length) throw new UsageError(`no files match ${input}`);
      out.push(...files);
    } else {
      throw new UsageError(`cannot read ${input}: no such file or directory`);
    }
  }
  return [...new Set(out)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(p)));
    else if (e.isFile() && DATA_FILE.test(e.name)) files.push(p);
  }
  return files;
}
