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

/** Byte offset of the first invalid UTF-8 sequence (for the reject message); -1 when the bytes are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length + (need === 0 ? 1 : 0)) return i;
    for (let k = 1; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    // Overlong 3/4-byte forms, surrogates and code points past U+10FFFF are invalid too.
    const b1 = bytes[i + 1];
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += need + 1;
  }
  return -1;
}
