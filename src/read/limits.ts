/** Limits every reader and the parse stage share. */
export interface ReadLimits {
  /** A record (line or array element) larger than this is rejected as `record_too_large` without being buffered. */
  maxRecordBytes: number;
  /** JSON nested deeper than this is rejected as `nesting_too_deep` before it is parsed. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxRecordBytes: 64 * 1024 * 1024, maxDepth: 100 };

/** How much of an oversized or undecodable record is kept in `raw` for the rejects file. */
export const RAW_PREVIEW_BYTES = 4096;

/** Strict UTF-8: invalid bytes throw instead of turning into U+FFFD. */
export const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export const preview = (bytes: Uint8Array): string => lossyUtf8.decode(bytes.subarray(0, RAW_PREVIEW_BYTES));

/** Byte offset of the first invalid UTF-8 sequence (for the reject message). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // Binary search on prefixes that decode cleanly; a prefix may end mid-character, so allow 3 bytes slack.
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
