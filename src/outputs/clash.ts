import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../types.js';

/** An output a command is about to write: a file, or a folder whose whole content it owns (a dataset). */
export interface PlannedOutput {
  path: string;
  /** How the user named it, for the message: `-o`, `--rejects`, `datasets.sft.stages[4].write`... */
  what: string;
  kind?: 'file' | 'dir';
}

interface Resolved {
  real: string;
  /** `dev:ino` when the path exists: catches hard links and case-insensitive file systems too. */
  id?: string;
}

const fileId = async (p: string) => {
  const s = await stat(p).catch(() => undefined);
  return s ? `${s.dev}:${s.ino}` : undefined;
};

/**
 * The real path of `p` with symlinks, `./` and `..` resolved. A path that does not exist yet is resolved
 * through its nearest existing ancestor, so `out/../x.jsonl` and a symlinked folder still compare equal.
 */
async function resolvePath(p: string): Promise<Resolved> {
  const abs = resolve(p);
  try {
    return { real: await realpath(abs), id: await fileId(abs) };
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return { real: abs };
    return { real: join((await resolvePath(parent)).real, basename(abs)) };
  }
}

const inside = (child: string, dir: string) => child === dir || child.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/**
 * Refuse (UsageError, exit 2) any output that is one of the input files, any output folder that holds an
 * input file, and two outputs that are the same file. Runs before anything is opened for writing, so the
 * input is untouched. `-` (stdin/stdout) is never a file.
 */
export async function checkOutputsAgainstInputs(inputFiles: Iterable<string>, outputs: PlannedOutput[]): Promise<void> {
  const inputs: (Resolved & { path: string })[] = [];
  for (const path of new Set(inputFiles)) if (path !== '-') inputs.push({ path, ...(await resolvePath(path)) });
  const seen: (Resolved & PlannedOutput)[] = [];
  for (const out of outputs) {
    if (out.path === '-') continue;
    const r = { ...out, ...(await resolvePath(out.path)) };
    for (const input of inputs) {
      if (out.kind === 'dir') {
        if (inside(input.real, r.real)) {
          throw new UsageError(`${out.what} ${out.path} would replace the folder holding the input ${input.path}; choose another output folder`);
        }
      } else if (input.real === r.real || (r.id !== undefined && r.id === input.id)) {
        const same = input.path === out.path ? '' : ` (${input.real})`;
        throw new UsageError(`${out.what} ${out.path} is the input file ${input.path}${same}: writing it would destroy the input; choose another output path`);
      }
    }
    for (const other of seen) {
      if (other.kind !== 'dir' && r.kind !== 'dir' && (other.real === r.real || (r.id !== undefined && r.id === other.id))) {
        throw new UsageError(`${other.what} and ${out.what} both name ${out.path}; give each output its own file`);
      }
    }
    seen.push(r);
  }
}
