import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Outcome } from '../types.js';
import { keep } from '../types.js';
import { UsageError } from '../types.js';

/** JSON text for a Parquet row (BigInt → number when safe, else string), used as the record's `raw`. */
export const rowJson = (row: unknown): string =>
  JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));

/**
 * A Parquet file (the usual shape of Hub datasets), read one row group at a time so memory is bounded
 * by the largest row group, not the file. Rows arrive as objects; nested list/struct columns become
 * arrays/objects, which is exactly what the format adapters expect.
 */
export async function* parquetRecords(path: string): AsyncGenerator<Outcome<unknown>> {
  let file;
  let metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new UsageError(`${path} is not a readable Parquet file: ${(e as Error).message}`);
  }
  let rowStart = 0;
  let index = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
    for (const row of rows) {
      const raw = rowJson(row);
      // Parsed back from its JSON so the value is plain data (no BigInt, no typed arrays), the same as `raw` says.
      yield keep({ source: path, index: index++ }, JSON.parse(raw) as unknown, raw);
    }
    rowStart = rowEnd;
  }
}
