import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { InputFault, faultReject } from './fault.js';
import { firstInvalidUtf8, preview, strictUtf8, type ReadLimits } from './limits.js';

/** Where numbering starts when the lines follow something else in the same file (the rest after a JSON document). */
export interface LineStart {
  /** 1-based line number of the first line. */
  line: number;
  /** Record index of the first line. */
  index: number;
}

/**
 * JSONL: one record per line. Accepts CRLF and a leading BOM, skips blank lines. A line is never
 * buffered past `maxRecordBytes`: the rest of it is skipped and the record rejected as
 * `record_too_large`. Lines are decoded as strict UTF-8; bad bytes reject the line with its number.
 * Each kept record's `raw` is the line text; parsing happens in the parse stage.
 *
 * When the byte source faults (a cut or corrupt gzip stream), the line it cut carries the one
 * `truncated_file`/`corrupt_file` reject; when the cut falls exactly between lines, the fault is one
 * reject of its own (a line ended by a newline is whole, so it is kept).
 */
export async function* jsonlRecords(
  source: string,
  chunks: AsyncIterable<Buffer>,
  limits: ReadLimits,
  start: LineStart = { line: 1, index: 0 },
): AsyncGenerator<Outcome<unknown>> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversize = false;
  let oversizeHead: Buffer | undefined;
  let line = start.line - 1;
  const indexOf = (n: number) => start.index + (n - start.line);

  function* finishLine(tail: Buffer): Generator<Outcome<unknown>> {
    line++;
    const ref = { source, index: indexOf(line), line };
    if (oversize) {
      const total = partBytes + tail.length;
      const cr = line === 1 ? crOnlyHint(oversizeHead!) : '';
      const r = reject(ref, 'record_too_large', `line ${line} is ${total} bytes, over --max-record-bytes ${limits.maxRecordBytes}${cr}`, preview(oversizeHead!));
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
    // A file with CR-only line endings (classic Mac) is one long "line 1". Only line 1 is looked at, once per file.
    if (line === 1 && bytes.indexOf(0x0d) >= 0) {
      const cr = crOnlyReject(ref, text);
      if (cr) {
        yield cr;
        return;
      }
    }
    yield keep(ref, undefined, text);
  }

  try {
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
  } catch (e) {
    if (!(e instanceof InputFault)) throw e;
    line++;
    const ref = { source, index: indexOf(line), line };
    const partial = oversize ? oversizeHead! : Buffer.concat(parts);
    yield isBlank(partial)
      ? faultReject(ref, e, `the file ends at line ${line}`, '')
      : faultReject(ref, e, `line ${line} is cut off`, preview(partial), oversize || partial.length > 4096);
    return;
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

/**
 * Line 1 holds bare CRs. A lone CR is JSON whitespace, so one pretty-printed record may legally contain
 * them: if the line parses, it is kept as it is. If not, the file most likely uses CR-only line endings;
 * we say so rather than guess where records end (splitting at every CR could cut a valid record apart).
 */
function crOnlyReject(ref: { source: string; index: number; line: number }, text: string): Outcome<unknown> | undefined {
  try {
    JSON.parse(text); // iterative in V8: a deep line cannot overflow the stack here
    return undefined;
  } catch (e) {
    const crs = text.split('\r').length - 1;
    return reject(
      ref,
      'not_json',
      `line ${ref.line}: ${(e as Error).message}; the file seems to use CR-only line endings (${crs} CR characters and no LF): convert them to LF (e.g. tr '\\r' '\\n')`,
      text,
    );
  }
}

function crOnlyHint(head: Buffer): string {
  const cr = head.indexOf(0x0d);
  return cr >= 0 && cr < head.length - 1 ? '; the file seems to use CR-only line endings (no LF in it): convert them to LF' : '';
}
