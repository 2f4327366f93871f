import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { looksBinary } from '../read/bytes.js';
import { UsageError } from '../types.js';

/** One input file as run.json records it: a re-run compares these to refuse changed inputs. */
export interface InputRecord {
  path: string;
  size: number;
  sha256: string;
  mtimeMs: number;
}

/**
 * A piece of work for one rank: a whole input file of one dataset, or a byte range of a large JSONL file cut
 * at line boundaries. `line` is the 1-based line number at `start`, so records keep the same index and line
 * as in a single-process run.
 */
export interface WorkUnit {
  id: number;
  dataset: string;
  path: string;
  start?: number;
  end?: number;
  line?: number;
  rank: number;
}

/** Only plain line files can be cut: gzip streams cannot be entered mid-way, JSON arrays and Parquet are not split here. */
const SPLITTABLE_NAME = /\.(jsonl|ndjson)$/i;
/** Below this a file is not worth cutting, whatever the world size. */
export const MIN_SPLIT_BYTES = 8 << 20;

/** Where to cut a file of `size` bytes into pieces of at most about `splitBytes`: the target offsets. */
function cutTargets(size: number, splitBytes: number): number[] {
  const pieces = Math.ceil(size / splitBytes);
  const targets: number[] = [];
  for (let i = 1; i < pieces; i++) targets.push(Math.floor((i * size) / pieces));
  return targets;
}

/**
 * One pass over a file: its sha256, and for each target offset the first line boundary at or after it (the
 * byte after a newline) with the line number that starts there.
 */
async function hashAndCut(path: string, targets: number[]): Promise<{ sha256: string; cuts: { offset: number; line: number }[] }> {
  const h = createHash('sha256');
  const cuts: { offset: number; line: number }[] = [];
  let pos = 0;
  let newlines = 0;
  let t = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    if (t < targets.length) {
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
        newlines++;
        const after = pos + i + 1;
        while (t < targets.length && targets[t] <= after) {
          if (!cuts.length || cuts[cuts.length - 1].offset !== after) cuts.push({ offset: after, line: newlines + 1 });
          t++;
        }
        if (t >= targets.length) break;
      }
    }
    pos += chunk.length;
  }
  return { sha256: h.digest('hex'), cuts: cuts.filter((c) => c.offset < pos) };
}

/** Whether the file must be read from its start: gzip under a .jsonl name (the reader sniffs the magic), Parquet, binary. */
async function mustReadWhole(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    return (head[0] === 0x1f && head[1] === 0x8b) || head.subarray(0, 4).toString('latin1') === 'PAR1' || looksBinary(head);
  } finally {
    await fh.close();
  }
}

export interface PlanUnitsResult {
  inputs: InputRecord[];
  units: WorkUnit[];
  splitBytes: number;
}

/**
 * Split the inputs into work units, deterministically: the files of each dataset in pipeline order; a plain
 * `.jsonl`/`.ndjson` file larger than `splitBytes` becomes several byte ranges cut after a newline; units are
 * dealt round-robin to the ranks. `splitBytes` defaults to the total input size over the world size (at least
 * MIN_SPLIT_BYTES), so one big file spreads over every rank. Gzip files are never split (a gzip stream can
 * only be read from its start), nor are JSON arrays and Parquet files, nor the files of a dataset marked
 * `whole` (KTO pairing by prompt within a file): each is one unit.
 */
export async function planWorkUnits(o: { datasets: { name: string; files: string[]; whole?: boolean }[]; worldSize: number; splitBytes?: number }): Promise<PlanUnitsResult> {
  const paths = [...new Set(o.datasets.flatMap((d) => d.files))];
  if (paths.includes('-')) throw new UsageError('a run over several ranks cannot read stdin (-): name the input files');
  const sizes = new Map<string, { size: number; mtimeMs: number }>();
  for (const p of paths) {
    const s = await stat(p);
    sizes.set(p, { size: s.size, mtimeMs: s.mtimeMs });
  }
  const total = [...sizes.values()].reduce((n, s) => n + s.size, 0);
  const splitBytes = o.splitBytes ?? Math.max(MIN_SPLIT_BYTES, Math.ceil(total / o.worldSize));
  if (!(Number.isSafeInteger(splitBytes) && splitBytes > 0)) throw new UsageError(`split size must be a positive number of bytes, got ${splitBytes}`);
  const inputs: InputRecord[] = [];
  const cutsOf = new Map<string, { offset: number; line: number }[]>();
  for (const p of paths) {
    const { size, mtimeMs } = sizes.get(p)!;
    const splittable = SPLITTABLE_NAME.test(p) && size > splitBytes && !(await mustReadWhole(p));
    const { sha256, cuts } = await hashAndCut(p, splittable ? cutTargets(size, splitBytes) : []);
    inputs.push({ path: p, size, sha256, mtimeMs });
    cutsOf.set(p, cuts);
  }
  const units: WorkUnit[] = [];
  const add = (u: Omit<WorkUnit, 'id' | 'rank'>) => units.push({ id: units.length, rank: units.length % o.worldSize, ...u });
  for (const d of o.datasets) {
    for (const path of d.files) {
      const cuts = cutsOf.get(path)!;
      // A dataset that pairs records within a file (KTO by prompt) reads each file whole.
      if (!cuts.length || d.whole) {
        add({ dataset: d.name, path });
        continue;
      }
      const bounds = [{ offset: 0, line: 1 }, ...cuts, { offset: sizes.get(path)!.size, line: -1 }];
      for (let i = 0; i + 1 < bounds.length; i++) add({ dataset: d.name, path, start: bounds[i].offset, end: bounds[i + 1].offset, line: bounds[i].line });
    }
  }
  return { inputs, units, splitBytes };
}

/** A quick check that an input is unchanged (size and mtime), as make and rsync do; the hash decides otherwise. */
export async function inputChanged(r: InputRecord): Promise<string | undefined> {
  const s = await stat(r.path).catch(() => undefined);
  if (!s) return `${r.path} is gone`;
  if (s.size !== r.size) return `${r.path} changed size (${r.size} → ${s.size} bytes)`;
  if (s.mtimeMs === r.mtimeMs) return undefined;
  const { sha256 } = await hashAndCut(r.path, []);
  return sha256 === r.sha256 ? undefined : `${r.path} changed (sha256 ${r.sha256.slice(0, 12)}… → ${sha256.slice(0, 12)}…)`;
}
