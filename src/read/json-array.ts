import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { firstInvalidUtf8, preview, strictUtf8, type ReadLimits } from './limits.js';

const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A top-level JSON array, streamed element by element so a file larger than memory works.
 * A byte-level scanner tracks strings and bracket depth; each element's bytes are cut out and handed on
 * as `raw` text (parsed later), with its array position as `index` and the line it starts on.
 * Oversized or too-deep elements are skipped over without buffering them.
 */
export async function* jsonArrayRecords(source: string, chunks: AsyncIterable<Buffer>, limits: ReadLimits): AsyncGenerator<Outcome<unknown>> {
  let phase: 'start' | 'between' | 'element' | 'after' = 'start';
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
  let line = 1;
  let elementLine = 1;
  let bomChecked = false;

  const emit = (): Outcome<unknown> => {
    const ref = { source, index: index++, line: elementLine };
    const all = oversize ? head! : Buffer.concat(parts);
    const result = oversize
      ? Object.assign(reject(ref, 'record_too_large', `array element ${ref.index} (line ${elementLine}) is over --max-record-bytes ${limits.maxRecordBytes}`, preview(all)), { rawTruncated: true })
      : tooDeep
        ? reject(ref, 'nesting_too_deep', `array element ${ref.index} nests deeper than ${limits.maxDepth} levels`, preview(all))
        : decode(ref, all);
    parts = [];
    bytes = 0;
    oversize = tooDeep = scalar = inString = escape = false;
    depth = 0;
    head = undefined;
    phase = 'between';
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

  for await (const chunk of chunks) {
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
              yield emit();
            }
          }
        } else if (scalar) {
          if (b === COMMA || b === CLOSE_ARR || isSpace(b)) {
            collect(chunk.subarray(segStart, i));
            yield emit();
            i--; // let the 'between' phase see this delimiter
            if (b === NEWLINE) line--;
          }
        } else if (b === QUOTE) inString = true;
        else if (b === OPEN_OBJ || b === OPEN_ARR) {
          if (++depth > limits.maxDepth) tooDeep = true;
        } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
          if (--depth === 0) {
            collect(chunk.subarray(segStart, i + 1));
            yield emit();
          }
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (phase === 'start') {
        if (b !== OPEN_ARR) throw new Error(`${source}: expected a JSON array`);
        phase = 'between';
      } else if (phase === 'between') {
        if (b === COMMA) continue;
        if (b === CLOSE_ARR) {
          phase = 'after';
          continue;
        }
        phase = 'element';
        segStart = i;
        elementLine = line;
        if (b === OPEN_OBJ || b === OPEN_ARR) depth = 1;
        else {
          scalar = true;
          inString = b === QUOTE;
        }
      } else {
        yield reject({ source, index: index++, line }, 'not_json', `unexpected data after the closing ] of the array at line ${line}`, preview(chunk.subarray(i)));
        return;
      }
    }
    if (phase === 'element') collect(chunk.subarray(segStart));
  }
  if (phase === 'element') {
    if (scalar && !inString) {
      yield emit();
      return;
    }
    const r = emit();
    yield r.kind === 'keep' ? reject(r.ref, 'not_json', `array element ${r.ref.index} is cut off by the end of the file`, r.raw) : r;
  } else if ((phase as string) !== 'after') {
    yield reject({ source, index: index++, line }, 'truncated_file', 'the file ends before the closing ] of the array', '');
  }
}
