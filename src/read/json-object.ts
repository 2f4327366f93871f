import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { InputFault, faultReject } from './fault.js';
import { jsonArrayRecords } from './json-array.js';
import { jsonlRecords } from './lines.js';
import { firstInvalidUtf8, preview, RAW_PREVIEW_BYTES, strictUtf8, type ReadLimits } from './limits.js';

/** Keys that mark a top-level object as one record rather than a wrapper around a record list. */
const RECORD_KEYS = new Set(['messages', 'conversations', 'instruction', 'text', 'chosen', 'rejected', 'prompt', 'completions', 'chosen_messages']);
/** Longer keys cannot be record keys; a wrapper's list key is only used in messages. */
const MAX_KEY_BYTES = 256;

const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Opens the same bytes again from the start (a second pass over a file, or a replay of what is in memory). */
export type Reopen = () => Promise<AsyncIterable<Buffer>>;

/** What one streaming pass learned about a top-level object, without parsing or keeping it. */
interface ObjectShape {
  start: number;
  /** Offset of the closing `}`, when it was reached. */
  end?: number;
  /** Something other than whitespace follows the object: the file is JSONL after all. */
  trailing: boolean;
  hasRecordKey: boolean;
  /** The first top-level key whose value is a list holding at least one object. */
  list?: { key: string; start: number; line: number; end?: number };
  tooDeep: boolean;
  fault?: InputFault;
  /** The whole object, when it fits in --max-record-bytes (then no second pass is needed). */
  whole?: Buffer;
  head: Buffer;
}

/**
 * A `.json` file whose top level is an object: either a single record (it has a record key such as
 * `messages`), or an object holding the record list (`{"data": [...]}`: the first key whose value is a
 * list holding objects). The same limits hold as for JSONL and arrays, checked before anything is parsed:
 * a first pass scans the bytes (buffering at most --max-record-bytes), so a huge or deep single record is
 * rejected without being read whole, and a wrapper's list is streamed element by element by the array
 * reader, each element under the per-element limits.
 */
export async function* jsonObjectRecords(source: string, chunks: AsyncIterable<Buffer>, reopen: Reopen, limits: ReadLimits): AsyncGenerator<Outcome<unknown>> {
  const shape = await scanObject(chunks, limits);
  if (shape.trailing) {
    // One object per line after all (the first one was longer than the sniff window, or pretty-printed).
    yield* jsonlRecords(source, await reopen(), limits);
    return;
  }
  const ref = { source, index: 0, line: 1 };
  if (shape.list && !shape.hasRecordKey) {
    const { list } = shape;
    const closed = shape.end !== undefined && !shape.fault;
    const cutAfter =
      list.end === undefined || closed
        ? undefined
        : (shape.fault ?? new InputFault('truncated_file', `${source}: the file ends before the closing } of the object holding "${list.key}"`));
    const bytes = shape.whole ? replay(shape.whole, shape.start) : await reopen();
    yield* jsonArrayRecords(source, slice(bytes, list.start, list.end), limits, { line: list.line, offset: list.start, cutAfter });
    return;
  }
  if (shape.fault || shape.end === undefined) {
    const fault = shape.fault ?? new InputFault('truncated_file', `${source}: the file ends before the closing } of the object`);
    yield faultReject(ref, fault, 'the record is cut off', preview(shape.head), true);
    return;
  }
  const size = shape.end - shape.start + 1;
  if (!shape.whole) {
    const r = reject(ref, 'record_too_large', `${source}: the record is ${size} bytes, over --max-record-bytes ${limits.maxRecordBytes}`, preview(shape.head));
    r.rawTruncated = true;
    yield r;
    return;
  }
  if (shape.tooDeep) {
    yield reject(ref, 'nesting_too_deep', `${source}: the record nests deeper than ${limits.maxDepth} levels (--max-depth)`, preview(shape.whole));
    return;
  }
  try {
    yield keep(ref, undefined, strictUtf8.decode(shape.whole));
  } catch {
    yield reject(ref, 'invalid_utf8', `${source}: the record is not valid UTF-8 (bad byte at offset ${shape.start + firstInvalidUtf8(shape.whole)})`, preview(shape.whole));
  }
}

/**
 * One pass over the object's bytes: string and bracket state, the top-level keys, where the first list
 * of objects starts and ends, whether it nests too deep. Keeps the object's bytes only while they fit in
 * --max-record-bytes.
 */
async function scanObject(chunks: AsyncIterable<Buffer>, limits: ReadLimits): Promise<ObjectShape> {
  const shape: ObjectShape = { start: -1, trailing: false, hasRecordKey: false, tooDeep: false, head: Buffer.alloc(0) };
  let parts: Buffer[] | undefined = []; // the object's bytes, dropped once they pass the record limit
  let kept = 0;
  const headParts: Buffer[] = [];
  let headBytes = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let line = 1;
  let base = 0; // offset of the current chunk's first byte
  let expectKey = false; // at depth 1, the next string is a key
  let key: Buffer[] | undefined; // the top-level key being read
  let keyFrom = 0;
  let keyLen = 0;
  let lastKey: string | undefined;
  let inList = false; // inside a top-level value that is a list
  let listStart = 0;
  let listLine = 1;
  try {
    outer: for await (const chunk of chunks) {
      let i = 0;
      let from = 0; // where the object's bytes start in this chunk
      if (shape.start < 0) {
        if (base === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
        while (i < chunk.length && isSpace(chunk[i])) if (chunk[i++] === NEWLINE) line++;
        if (i === chunk.length) {
          base += chunk.length;
          continue;
        }
        shape.start = base + i;
        from = i;
      }
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === NEWLINE) line++;
        if (shape.end !== undefined) {
          if (!isSpace(b)) {
            shape.trailing = true;
            break outer;
          }
        } else if (inString) {
          if (escape) escape = false;
          else if (b === BACKSLASH) escape = true;
          else if (b === QUOTE) {
            inString = false;
            if (key) {
              keyLen += i - keyFrom;
              if (keyLen <= MAX_KEY_BYTES) key.push(chunk.subarray(keyFrom, i));
              lastKey = keyLen <= MAX_KEY_BYTES ? decodeKey(key) : undefined;
              if (lastKey !== undefined && RECORD_KEYS.has(lastKey)) shape.hasRecordKey = true;
              key = undefined;
            }
          }
        } else if (b === QUOTE) {
          inString = true;
          if (depth === 1 && expectKey) {
            expectKey = false;
            key = [];
            keyFrom = i + 1;
            keyLen = 0;
          }
        } else if (b === OPEN_OBJ || b === OPEN_ARR) {
          if (++depth > limits.maxDepth) shape.tooDeep = true;
          if (depth === 1) expectKey = true;
          else if (depth === 2 && b === OPEN_ARR && !shape.list) {
            inList = true;
            listStart = base + i;
            listLine = line;
          } else if (depth === 3 && inList && b === OPEN_OBJ && !shape.list) {
            shape.list = { key: lastKey ?? '(a key too long to show)', start: listStart, line: listLine };
          }
        } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
          if (--depth === 1 && inList) {
            if (shape.list) shape.list.end = base + i;
            inList = false;
          } else if (depth === 0) {
            shape.end = base + i;
            take(chunk.subarray(from, i + 1));
          }
        } else if (depth === 1 && b === COMMA) expectKey = true;
      }
      if (shape.end === undefined) take(chunk.subarray(from));
      if (key) {
        // A key split across chunks (only a short one can matter).
        keyLen += chunk.length - keyFrom;
        if (keyLen <= MAX_KEY_BYTES) key.push(Buffer.from(chunk.subarray(keyFrom)));
        keyFrom = 0;
      }
      base += chunk.length;
    }
  } catch (e) {
    if (!(e instanceof InputFault)) throw e;
    shape.fault = e;
  }
  shape.head = Buffer.concat(headParts);
  if (shape.end !== undefined && parts) shape.whole = Buffer.concat(parts);
  return shape;

  // Buffer the object while it fits in the record limit; keep its first bytes for a reject's preview.
  function take(piece: Buffer) {
    if (headBytes < RAW_PREVIEW_BYTES) {
      const h = Buffer.from(piece.subarray(0, RAW_PREVIEW_BYTES - headBytes));
      headParts.push(h);
      headBytes += h.length;
    }
    if (!parts) return;
    if (kept + piece.length > limits.maxRecordBytes) {
      parts = undefined;
      return;
    }
    parts.push(Buffer.from(piece)); // copy: the stream may reuse its chunk buffers
    kept += piece.length;
  }
}

function decodeKey(parts: Buffer[]): string | undefined {
  try {
    return JSON.parse(`"${Buffer.concat(parts).toString('utf8')}"`) as string;
  } catch {
    return undefined;
  }
}

/** The bytes of [from, to] (absolute offsets, `to` inclusive; to the end when undefined). */
async function* slice(chunks: AsyncIterable<Buffer>, from: number, to: number | undefined): AsyncGenerator<Buffer> {
  let base = 0;
  for await (const chunk of chunks) {
    const end = base + chunk.length;
    if (end > from) {
      const a = Math.max(0, from - base);
      const b = to === undefined ? chunk.length : Math.min(chunk.length, to + 1 - base);
      if (b > a) yield chunk.subarray(a, b);
      if (to !== undefined && end > to) return;
    }
    base = end;
  }
}

/** The object held in memory, placed at its offset so `slice` finds the list in it. */
async function* replay(whole: Buffer, start: number): AsyncGenerator<Buffer> {
  yield Buffer.alloc(start);
  yield whole;
}
