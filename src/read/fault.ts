import type { Outcome, SourceRef } from '../types.js';
import { reject } from '../types.js';

/** The container-level reasons: the file itself is cut short or damaged, not one record in it. */
export type FaultReason = 'truncated_file' | 'corrupt_file';

/**
 * A fault of one input's container (a cut or corrupt gzip stream), thrown by the byte source and caught by
 * the container readers, which turn it into a single reject and end that file. The run goes on with the
 * next input; it is never a usage error.
 */
export class InputFault extends Error {
  override name = 'InputFault';
  constructor(
    readonly reason: FaultReason,
    message: string,
  ) {
    super(message);
  }
}

/** The one reject that stands for a fault: carried by the record it cut (raw = what was read of it). */
export function faultReject(ref: SourceRef, fault: InputFault, what: string, raw: string, rawTruncated = false): Outcome<unknown> {
  const r = reject(ref, fault.reason, `${what}: ${fault.message}`, raw);
  if (rawTruncated) r.rawTruncated = true;
  return r;
}
