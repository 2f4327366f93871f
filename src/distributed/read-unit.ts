import { createReadStream } from 'node:fs';
import type { Outcome } from '../types.js';
import { readInput, type ReadLimits } from '../read/index.js';
import { jsonlRecords } from '../read/lines.js';
import type { WorkUnit } from './work-units.js';

/**
 * The records of one work unit: a whole file read as a single-process run reads it, or a byte range of a
 * JSONL file, numbered from the line it starts at so every record keeps its single-process index and line.
 * A range starts after a newline and ends after one (or at the end of the file), so no line is cut.
 */
export async function* readUnit(u: WorkUnit, limits: ReadLimits): AsyncGenerator<Outcome<unknown>> {
  if (u.start === undefined || u.end === undefined || u.line === undefined) {
    yield* readInput(u.path, limits);
    return;
  }
  if (u.end <= u.start) return;
  const chunks = createReadStream(u.path, { start: u.start, end: u.end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  yield* jsonlRecords(u.path, chunks, limits, { line: u.line, index: u.line - 1 });
}

/** Which unit of a dataset a record belongs to, from its file and index (units of one file are in line order). */
export function unitLocator(units: WorkUnit[]): (source: string, index: number) => WorkUnit {
  const byPath = new Map<string, WorkUnit[]>();
  for (const u of units) {
    const list = byPath.get(u.path) ?? [];
    list.push(u);
    byPath.set(u.path, list);
  }
  return (source, index) => {
    const list = byPath.get(source);
    if (!list) throw new Error(`no work unit reads ${source}`);
    let found = list[0];
    for (const u of list) if ((u.line ?? 1) - 1 <= index) found = u;
    return found;
  };
}
