import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

export const SFT_RECORD = (i: number) =>
  JSON.stringify({ id: `r${i}`, messages: [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] });

export const PREF_RECORD = (i: number) =>
  JSON.stringify({ prompt: `Question ${i}?`, chosen: `Good answer ${i}.`, rejected: `Bad ${i}` });

/** A JSONL file of `n` valid SFT records (or preference records) in a fresh temp folder. */
export function jsonlFile(name: string, n: number, make = SFT_RECORD, dir = tmp()): string {
  const p = join(dir, name);
  writeFileSync(p, Array.from({ length: n }, (_, i) => `${make(i)}\n`).join(''));
  return p;
}

/** Every file under `dir` (hidden ones too), relative path → bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })) walk(dir);
  return files;
}

/** The names of `snapshot`, sorted. */
export const names = (s: Map<string, Buffer>): string[] => [...s.keys()].sort();

/** A scratch project: the bundled data and pipelines copied to a temp folder, to run `chatmill run` in. */
export function scratchProject(): string {
  const dir = tmp();
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(join(ROOT, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  return dir;
}
