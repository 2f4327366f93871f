import type { Outcome } from '../types.js';
import { UsageError } from '../types.js';
import { firstSignificantByte, looksBinary, openBytes } from './bytes.js';
import { preview } from './limits.js';
import { reject } from '../types.js';
import { jsonArrayRecords } from './json-array.js';
import { jsonObjectRecords } from './json-object.js';
import { jsonlRecords } from './lines.js';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.js';
import { sniffContainer } from './sniff.js';

export { expandInputs } from './expand.js';

/** The Parquet reader (hyparquet and its codecs), imported only when a Parquet file is read: it is most of a small run's module loading. */
async function parquetRecords(path: string, limits: ReadLimits): Promise<AsyncGenerator<Outcome<unknown>>> {
  return (await import('./parquet.js')).parquetRecords(path, limits);
}
export { DEFAULT_LIMITS, type ReadLimits } from './limits.js';

/** Names that are JSONL whatever their first byte: a first line that is an array is one record, not the container. */
const LINES_NAME = /\.(jsonl|ndjson)(\.gz)?$/i;
const JSON_NAME = /\.json(\.gz)?$/i;

/**
 * Read one input as a stream of records, whatever its container: JSONL, a JSON array (streamed),
 * a JSON object file, any of those gzipped, or Parquet. Every yielded outcome is one record read.
 *
 * The container comes from the name first, then the content: `.jsonl`/`.ndjson` are lines, always. A
 * `.json` file (and a file of any other name, or stdin) whose first value ends on its first line and is
 * followed by more is JSONL too (real datasets ship JSONL under `.json`). Otherwise a top-level array is
 * streamed, and in a `.json` file a top-level object is one record or a wrapper around the record list.
 * Anything else is read as lines. Data faults (a cut or corrupt file) end up as rejects, never as throws.
 */
export async function* readInput(path: string, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<Outcome<unknown>> {
  if (/\.parquet$/i.test(path)) {
    yield* await parquetRecords(path, limits);
    return;
  }
  const { head, chunks, recycle, close } = await openBytes(path);
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
    await close();
    if (path === '-') throw new UsageError('Parquet cannot be read from stdin; pass the file path');
    yield* await parquetRecords(path, limits);
    return;
  }
  if (looksBinary(head)) {
    await close();
    // A binary file among the inputs (a wrong path, an archive) is one reject, and the run goes on with the next input.
    yield reject({ source: path, index: 0 }, 'corrupt_file', `${path} looks like a binary file (NUL bytes in its first ${Math.min(head.length, 8192)} bytes); expected JSON, JSONL, .gz or .parquet`, preview(head));
    return;
  }
  const first = firstSignificantByte(head);
  const isObject = first === 0x7b; /* { */
  if (LINES_NAME.test(path) || !(first === 0x5b /* [ */ || (isObject && JSON_NAME.test(path)))) {
    // The lines reader copies what it keeps of a chunk before it asks for the next (src/read/lines.ts).
    recycle?.();
    yield* jsonlRecords(path, chunks, limits);
    return;
  }
  const sniffed = await sniffContainer(chunks);
  if (sniffed.kind === 'lines' || !isObject) {
    // Both readers copy what they keep of a chunk before they ask for the next; the chunks the sniffer holds are
    // handed on first, and a buffer is reused only once its chunk has been read past.
    recycle?.();
    yield* sniffed.kind === 'lines' ? jsonlRecords(path, sniffed.chunks, limits) : jsonArrayRecords(path, sniffed.chunks, limits);
  } else {
    // A second pass over an object file re-reads it (or replays it, when it was small enough to be held).
    const reopen = async () => sniffed.replay?.() ?? (await openBytes(path)).chunks;
    yield* jsonObjectRecords(path, sniffed.chunks, reopen, limits);
  }
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
