import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { firstInvalidUtf8, preview, strictUtf8, type ReadLimits } from './limits.js';

/**
 * JSONL: one record per line. Accepts CRLF and a leading BOM, skips blank lines. A line is never
 * buffered past `maxRecordBytes`: the rest of it is skipped and the record rejected as
 * `record_too_large`. Lines are decoded as strict UTF-8; bad bytes reject the line with its number.
 * Each kept record's `raw` is the line text; parsing happens in the parse stage.
 */
export async function* jsonlRecords(source: string, chunks: AsyncIterable<Buffer>, limits: ReadLimits): AsyncGenerator<Outcome<unknown>> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversize = false;
  let oversizeHead: Buffer | undefined;
  let line = 0;

  function* finishLine(tail: Buffer): Generator<Outcome<unknown>> {
    line++;
    const ref = { source, index: line - 1, line };
    if (oversize) {
      const total = partBytes + tail.length;
      const r = reject(ref, 'record_too_large', `line ${line} is ${total} bytes, over --max-record-bytes ${limits.maxRecordBytes}`, preview(oversizeHead!));
      r.rawTruncated = true;
      yield r;
      return;
    }
    let bytes = parts.length ? Buffer.concat([...parts, tail]) : tail;
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (isBlank(bytes)) return;
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      yield reject(ref, 'invalid_utf8', `line ${line} is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})`, preview(bytes));
      return;
    }
    yield keep(ref, undefined, text);
  }

  for await (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(pos, end);
      if (nl < 0) {
        take(piece);
        break;
      }
      if (!oversize && partBytes + piece.length > limits.maxRecordBytes) markOversize(piece);
      if (oversize) {
        partBytes += piece.length;
        yield* finishLine(EMPTY);
      } else {
        yield* finishLine(piece);
      }
      parts = [];
      partBytes = 0;
      oversize = false;
      oversizeHead = undefined;
      pos = nl + 1;
    }
  }
  if (partBytes > 0 || oversize) yield* finishLine(EMPTY);

  function take(piece: Buffer) {
    if (oversize) {
      partBytes += piece.length;
      return;
    }
    if (partBytes + piece.length > limits.maxRecordBytes) {
      markOversize(piece);
      partBytes += piece.length;
      return;
    }
    parts.push(Buffer.from(piece)); // copy: the chunk buffer may be reused by the stream
    partBytes += piece.length;
  }

  function markOversize(piece: Buffer) {
    oversize = true;
    oversizeHead = Buffer.concat([...parts, piece.subarray(0, 4096)]).subarray(0, 4096);
    parts = [];
  }
}

const EMPTY = Buffer.alloc(0);

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}
