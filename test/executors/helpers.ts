import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatmill, type CliResult } from '../helpers/cli.js';

export const STAND_IN = fileURLToPath(new URL('./fixtures/stand-in-cli.mjs', import.meta.url));

export interface StandInEvent {
  ev: 'start' | 'end' | 'skip' | 'fail' | 'refuse' | 'merge';
  t: number;
  pid: number;
  phase?: string;
  rank?: number;
  world?: number;
  slurm?: { task?: string; count?: string };
}

/**
 * A project folder with a real (small) pipeline file and its one input, so the run directory's own checks
 * (pipeline and input hashes in run.json) work on it as on a real project.
 */
export function project(root = tmpdir()): { dir: string; pipeline: string; events: string; runDir: string } {
  const dir = mkdtempSync(join(root, 'chatmill-launch-'));
  writeFileSync(join(dir, 'data.jsonl'), '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
  writeFileSync(join(dir, 'p.yaml'), 'name: t\nout: out\ndatasets:\n  sft:\n    inputs: [data.jsonl]\n    stages:\n      - write: { path: sft.jsonl }\n');
  return { dir, pipeline: 'p.yaml', events: join(dir, 'events.jsonl'), runDir: join(dir, 'out', '.run') };
}

export function events(file: string): StandInEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StandInEvent);
}

/** `chatmill launch` in the project folder with the stand-in CLI on the ranks. */
export function launchStandIn(p: { dir: string; events: string }, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return chatmill(['launch', ...args], {
    cwd: p.dir,
    env: { CHATMILL_CLI: `${process.execPath} ${STAND_IN}`, CHATMILL_STANDIN_EVENTS: p.events, ...env },
  });
}

/** The largest number of ranks of one phase whose [start, end] overlap at any moment. */
export function maxConcurrent(evs: StandInEvent[], phase: string): number {
  const edges: Array<[number, number]> = [];
  for (const e of evs) if (e.phase === phase && (e.ev === 'start' || e.ev === 'end' || e.ev === 'fail')) edges.push([e.t, e.ev === 'start' ? 1 : -1]);
  // An end and a start in the same millisecond: count the end first (the slot was free).
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}
