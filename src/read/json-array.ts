import type { Outcome, Rejected } from '../types.js';
import { keep, reject } from '../types.js';
import { InputFault, faultReject } from './fault.js';
import { jsonlRecords } from './lines.js';
import { firstInvalidUtf8, preview, strictUtf8, type ReadLimits } from './limits.js';

const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Where the array sits when it is part of a larger document (the list inside a `{"data": [...]}` wrapper). */
export interface ArrayPlacement {
  /** Line the array's `[` is on. */
  line: number;
  /** Byte offset of the `[` in the (decompressed) file. */
  offset: number;
  /** The wrapper was cut after the list closed: the end of the list is still the end of the readable file. */
  cutAfter?: InputFault;
}

type Phase = 'start' | 'afterOpen' | 'afterElement' | 'afterComma' | 'element' | 'after';

/**
 * A top-level JSON array, streamed element by element so a file larger than memory works.
 * A byte-level scanner tracks strings and bracket depth; each element's bytes are cut out and handed on
 * as `raw` text (parsed later), with its array position as `index` and the line it starts on.
 * Oversized or too-deep elements are skipped over without buffering them.
 *
 * Broken punctuation between elements (a missing comma, two commas, a comma before `]`) is one `not_json`
 * reject for that place, with its line and byte offset; the elements around it are still read.
 *
 * A file that ends before the closing `]` (or whose gzip stream breaks) is one `truncated_file` (or
 * `corrupt_file`) reject, carried by the element at the cut so that `read` is the number of elements
 * actually in the file: the partly read element if the cut is inside one, else the last element read
 * (nothing after it proves it whole: a number may have lost digits, and the array never closed). Only an
 * array cut before its first element gets a reject of its own.
 *
 * Anything after the closing `]` of a top-level array is read as JSONL lines (a `.json` file that is
 * really JSONL, with an array on its first line longer than the sniff window).
 */
export async function* jsonArrayRecords(
  source: string,
  chunks: AsyncIterable<Buffer>,
  limits: ReadLimits,
  placement: ArrayPlacement = { line: 1, offset: 0 },
): AsyncGenerator<Outcome<unknown>> {
  let phase: Phase = 'start';
  let depth = 0;
  let inString = false;
  let escape = false;
  let scalar = false;
  let parts: Buffer[] = [];
  let bytes = 0;
  let oversize = false;
  let tooDeep = false;
  let head: Buffer | undefined;
  let index = 0;
  let line = placement.line;
  let elementLine = line;
  let base = placement.offset; // byte offset of the current chunk's first byte
  let bomChecked = placement.offset > 0;
  let pending: Outcome<unknown> | undefined; // the last element, held back until we know the array did not end there

  const emit = (): Outcome<unknown> => {
    const ref = { source, index: index++, line: elementLine };
    const all = oversize ? head! : Buffer.concat(parts);
    const result = oversize
      ? Object.assign(reject(ref, 'record_too_large', `array element ${ref.index} (line ${elementLine}) is over --max-record-bytes ${limits.maxRecordBytes}`, preview(all)), { rawTruncated: true })
      : tooDeep
        ? reject(ref, 'nesting_too_deep', `array element ${ref.index} (line ${elementLine}) nests deeper than ${limits.maxDepth} levels`, preview(all))
        : decode(ref, all);
    parts = [];
    bytes = 0;
    oversize = tooDeep = scalar = inString = escape = false;
    depth = 0;
    head = undefined;
    phase = 'afterElement';
    return result;
  };

  const decode = (ref: { source: string; index: number; line: number }, all: Buffer): Outcome<unknown> => {
    try {
      return keep(ref, undefined, strictUtf8.decode(all));
    } catch {
      return reject(ref, 'invalid_utf8', `array element ${ref.index} (line ${ref.line}) is not valid UTF-8 (bad byte at offset ${firstInvalidUtf8(all)})`, preview(all));
    }
  };

  const collect = (piece: Buffer) => {
    if (oversize) return;
    if (bytes + piece.length > limits.maxRecordBytes) {
      oversize = true;
      head = Buffer.concat([...parts, piece]).subarray(0, 4096);
      parts = [];
      return;
    }
    parts.push(piece);
    bytes += piece.length;
  };

  /** A broken place between elements: its own reject, so the elements on both sides are still read. */
  const misplaced = (what: string, at: number, around: Buffer): Rejected =>
    reject({ source, index: index++, line }, 'not_json', `${source}: ${what} at line ${line}, byte offset ${at}`, preview(around));

  const it = chunks[Symbol.asyncIterator]();
  let fault: InputFault | undefined;
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      const chunk = next.value;
      let i = 0;
      if (!bomChecked) {
        bomChecked = true;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
      }
      let segStart = phase === 'element' ? 0 : -1;
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === NEWLINE) line++;
        if (phase === 'element') {
          if (inString) {
            if (escape) escape = false;
            else if (b === BACKSLASH) escape = true;
            else if (b === QUOTE) {
              inString = false;
              if (scalar && depth === 0) {
                collect(chunk.subarray(segStart, i + 1));
                const done = emit();
                if (pending) yield pending;
                pending = done;
              }
            }
          } else if (scalar) {
            if (b === COMMA || b === CLOSE_ARR || isSpace(b)) {
              collect(chunk.subarray(segStart, i));
              const done = emit();
              if (pending) yield pending;
              pending = done;
              i--; // let the between-elements phase see this delimiter
              if (b === NEWLINE) line--;
            }
          } else if (b === QUOTE) inString = true;
          else if (b === OPEN_OBJ || b === OPEN_ARR) {
            if (++depth > limits.maxDepth) tooDeep = true;
          } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
            if (--depth === 0) {
              collect(chunk.subarray(segStart, i + 1));
              const done = emit();
              if (pending) yield pending;
              pending = done;
            }
          }
          continue;
        }
        if (isSpace(b)) continue;
        if (phase === 'start') {
          if (b !== OPEN_ARR) throw new Error(`${source}: expected a JSON array`);
          phase = 'afterOpen';
        } else if (phase === 'after') {
          // Data after the closing ]: more records, one per line (a wrapper hands us only its list's bytes).
          if (pending) yield pending;
          pending = undefined;
          const rest = restOf(chunk.subarray(i), it);
          yield* jsonlRecords(source, rest, limits, { line, index });
          return;
        } else if (b === COMMA) {
          // `emit` (a closure) sets afterElement, which the compiler cannot see here.
          if ((phase as Phase) === 'afterElement') phase = 'afterComma';
          else {
            if (pending) yield pending;
            pending = undefined;
            yield misplaced(phase === 'afterOpen' ? 'a comma before the first array element' : 'an empty array element (two commas in a row)', base + i, chunk.subarray(Math.max(0, i - 40), i + 40));
            phase = 'afterComma';
          }
        } else if (b === CLOSE_ARR) {
          if (phase === 'afterComma') {
            if (pending) yield pending;
            pending = undefined;
            yield misplaced('a comma before the closing ] (trailing comma)', base + i, chunk.subarray(Math.max(0, i - 40), i + 1));
          }
          phase = 'after';
        } else {
          if ((phase as Phase) === 'afterElement') {
            if (pending) yield pending;
            pending = undefined;
            yield misplaced(`a missing comma before array element ${index}`, base + i, chunk.subarray(Math.max(0, i - 40), i + 40));
          }
          phase = 'element';
          segStart = i;
          elementLine = line;
          if (b === OPEN_OBJ || b === OPEN_ARR) depth = 1;
          else {
            scalar = true;
            inString = b === QUOTE;
          }
        }
      }
      // A copy: the chunk's buffer may be reused for a later chunk (src/read/bytes.ts, `recycle`).
      if (phase === 'element') collect(Buffer.from(chunk.subarray(segStart)));
      base += chunk.length;
    }
  } catch (e) {
    if (!(e instanceof InputFault)) throw e;
    fault = e;
  }

  if (phase === 'after' && !fault && !placement.cutAfter) {
    if (pending) yield pending;
    return;
  }
  fault ??=
    phase === 'after'
      ? placement.cutAfter!
      : new InputFault('truncated_file', `${source}: the file ends at byte offset ${base} (line ${line}) before the closing ] of the array`);

  if (phase === 'element') {
    // The cut is inside an element: that element carries the fault, with what was read of it.
    if (pending) yield pending;
    const ref = { source, index: index++, line: elementLine };
    const partial = oversize ? head! : Buffer.concat(parts);
    yield faultReject(ref, fault, `array element ${ref.index} (line ${elementLine}) is cut off`, preview(partial), oversize || partial.length > 4096);
  } else if (pending) {
    yield carry(pending, fault);
  } else {
    yield faultReject({ source, index: index++, line }, fault, 'the array has no complete element', '');
  }
}

/** The last element read carries the fault; a reason it already had is kept in the message. */
function carry(last: Outcome<unknown>, fault: InputFault): Outcome<unknown> {
  const what = `array element ${last.ref.index} (line ${last.ref.line}) is the last one before the cut`;
  if (last.kind === 'keep') return faultReject(last.ref, fault, what, last.raw);
  if (last.kind === 'reject') return faultReject(last.ref, fault, `${what} (and ${last.reason}: ${last.message})`, last.raw, last.rawTruncated);
  return last;
}

async function* restOf(first: Buffer, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const next = await it.next();
    if (next.done) return;
    yield next.value;
  }
}
