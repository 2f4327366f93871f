import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { Keep, Stage, StageContext } from '../types.js';
import { keep } from '../types.js';
import type { SplitResult } from '../export/shard-writer.js';
import { writeJsonlStage } from '../stages/write-jsonl.js';
import { exportStageFor } from '../pipeline/exports.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { ownJsonlLines } from './jsonl-read.js';
import { timesFile } from './decide.js';
import { unitDir, type RunJson } from './run-dir.js';
import { traceFile, type TraceLine } from './trace.js';
import type { WorkUnit } from './work-units.js';

export const writePart = (stageIndex: number): string => `write-${stageIndex}.jsonl`;
export const applyResultFile = (dataset: string): string => `${encodeURIComponent(dataset)}.apply.json`;
export const applyDatasetDir = (runDir: string, unit: number, dataset: string): string => join(unitDir(runDir, 'apply', unit), encodeURIComponent(dataset), 'dataset');

export interface ApplyResult {
  /** Kept items written (mix repeats counted). */
  items: number;
  exports: SplitResult[];
}

/** The kept items of one unit in input order: each traced record as many times as decide kept it (copies carry `repeat`). */
export async function* keptItems(runDir: string, unit: WorkUnit, dataset: string, decided: boolean): AsyncGenerator<Keep<unknown>> {
  const times = decided ? (JSON.parse(await readFile(join(unitDir(runDir, 'decide', unit.id), timesFile(dataset)), 'utf8')) as number[]) : undefined;
  let ordinal = 0;
  for await (const text of ownJsonlLines(join(unitDir(runDir, 'map', unit.id), traceFile(dataset)))) {
    const n = times ? times[ordinal] : 1;
    ordinal++;
    if (!n) continue;
    const line = JSON.parse(text) as TraceLine;
    const ref = { source: unit.path, index: line.i, ...(line.l ? { line: line.l } : {}) };
    yield keep(ref, line.v, '');
    for (let r = 1; r < n; r++) yield keep(ref, { ...(line.v as object), repeat: r }, '');
  }
  if (times && ordinal !== times.length) throw new Error(`apply: unit ${unit.id} traced ${ordinal} records of ${dataset} but decide decided ${times.length}`);
}

/**
 * The apply phase of one rank: for each of its units, the kept items go through the dataset's write and
 * export stages into the unit's own files (JSONL parts, Parquet shards), which merge puts in input order.
 * The audit and pair statistics are counted by merge, from the same items.
 */
export async function applyRank(o: { run: RunJson; runDir: string; pipeline: Pipeline; rank: number; decided: (dataset: string) => boolean }): Promise<{ items: number }> {
  let total = 0;
  const ctx: StageContext = { warn: () => undefined, noteFormat: () => undefined };
  for (const unit of o.run.units.filter((u) => u.rank === o.rank)) {
    const dataset = o.pipeline.datasets[unit.dataset];
    const dir = join(unitDir(o.runDir, 'apply', unit.id), encodeURIComponent(unit.dataset));
    // A rank that died mid-apply left half a unit: start the unit afresh.
    await rm(dir, { recursive: true, force: true });
    const results: SplitResult[] = [];
    const stages: Stage<any, any>[] = [];
    for (const [i, entry] of dataset.stages.entries()) {
      if ('write' in entry && entry.write) stages.push(writeJsonlStage(join(dir, writePart(i))));
      else if ('export' in entry) {
        const kind = dataset.kind === 'preference' ? 'dpo' : 'sft';
        stages.push(exportStageFor({ exports: { dir: applyDatasetDir(o.runDir, unit.id, unit.dataset), results }, dataset: unit.dataset, kind, options: entry.export }));
      }
    }
    let items = 0;
    let stream: AsyncIterable<any> = keptItems(o.runDir, unit, unit.dataset, o.decided(unit.dataset));
    for (const s of stages) stream = s.run(stream, ctx);
    for await (const _ of stream) items++;
    for (const s of stages) await s.finish?.();
    total += items;
    await writeFileAtomic(join(dir, applyResultFile(unit.dataset)), JSON.stringify({ items, exports: results } satisfies ApplyResult));
  }
  return { items: total };
}
