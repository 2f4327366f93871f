import type { Drop, Reject } from '../schemas/reject.js';
import type { Dropped, Rejected } from './types.js';
import type { Sinks } from './run.js';
import { JsonlWriter } from './jsonl-writer.js';

export const toRejectRecord = (r: Rejected, stage: string): Reject => ({
  source: r.ref.source,
  index: r.ref.index,
  ...(r.ref.line ? { line: r.ref.line } : {}),
  stage,
  reason: r.reason,
  message: r.message,
  path: r.path,
  raw: r.raw,
  ...(r.rawTruncated ? { raw_truncated: true } : {}),
});

export const toDropRecord = (d: Dropped, stage: string): Drop => ({
  // Evidence first, so it can never overwrite the fields every drop line has.
  ...d.detail,
  source: d.ref.source,
  index: d.ref.index,
  stage,
  reason: d.reason,
  message: d.message,
  ...(d.id ? { id: d.id } : {}),
  ...(d.duplicateOf ? { duplicate_of: d.duplicateOf } : {}),
});

/**
 * Sinks that write rejects.jsonl and dropped.jsonl. Without a path the records are still counted by
 * the runner (the summary lists every reason); only the file is skipped. Each file appears whole on
 * `close()` (see JsonlWriter); `abort()` leaves the previous files in place.
 */
export function fileSinks(paths: { rejects?: string; dropped?: string }): Sinks & { close(): Promise<void>; abort(): Promise<void> } {
  const rejects = paths.rejects ? new JsonlWriter(paths.rejects) : undefined;
  const dropped = paths.dropped ? new JsonlWriter(paths.dropped) : undefined;
  return {
    reject: (r, stage) => rejects?.write(toRejectRecord(r, stage)),
    drop: (d, stage) => dropped?.write(toDropRecord(d, stage)),
    async close() {
      await rejects?.close();
      await dropped?.close();
    },
    /** A failed run: the files keep what they held before. */
    async abort() {
      await rejects?.abort();
      await dropped?.abort();
    },
  };
}
