import type { Outcome } from '../types.js';
import { UsageError } from '../types.js';
import { assertText, firstSignificantByte, openBytes } from './bytes.js';
import { jsonArrayRecords } from './json-array.js';
import { jsonObjectRecords } from './json-object.js';
import { jsonlRecords } from './lines.js';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.js';
import { parquetRecords } from './parquet.js';

export { expandInputs } from './expand.js';
export { DEFAULT_LIMITS, type ReadLimits } from './limits.js';

/** Largest `.json` object file read whole (a wrapper like {"data": [...]}); bigger ones should be JSONL or an array. */
const MAX_WHOLE_OBJECT_BYTES = 512 * 1024 * 1024;

/**
 * Read one input as a stream of records, whatever its container: JSONL, a JSON array (streamed),
 * a JSON object file, any of those gzipped, or Parquet. Every yielded outcome is one record read.
 */
export async function* readInput(path: string, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<Outcome<unknown>> {
  if (/\.parquet$/i.test(path)) {
    yield* parquetRecords(path);
    return;
  }
  const { head, chunks } = await openBytes(path);
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
    if (path === '-') throw new UsageError('Parquet cannot be read from stdin; pass the file path');
    yield* parquetRecords(path);
    return;
  }
  assertText(head, path);
  const first = firstSignificantByte(head);
  if (first === 0x5b /* [ */) {
    yield* jsonArrayRecords(path, chunks, limits);
    return;
  }
  if (first === 0x7b /* { */ && /\.json(\.gz)?$/i.test(path)) {
    const whole = await readAll(chunks, path);
    const records = jsonObjectRecords(path, whole);
    if (records) yield* records;
    else yield* jsonlRecords(path, once(whole), limits);
    return;
  }
  yield* jsonlRecords(path, chunks, limits);
}

/** Read every input in order. `onFile` is told about each file before its first record (empty files count too). */
export async function* readInputs(
  paths: string[],
  opts: { limits?: ReadLimits; onFile?: (path: string) => void } = {},
): AsyncGenerator<Outcome<unknown>> {
  for (const path of paths) {
    opts.onFile?.(path);
    yield* readInput(path, opts.limits);
  }
}

async function readAll(chunks: AsyncIterable<Buffer>, path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_WHOLE_OBJECT_BYTES) {
      throw new UsageError(`${path}: a top-level JSON object over ${MAX_WHOLE_OBJECT_BYTES} bytes cannot be streamed; use JSONL or a top-level array`);
    }
    parts.push(c);
  }
  return Buffer.concat(parts);
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}
