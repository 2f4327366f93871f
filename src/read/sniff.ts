import { InputFault } from './fault.js';

/** How far we look for the end of the first JSON value before trusting the first byte alone. */
export const SNIFF_WINDOW_BYTES = 1 << 20;

const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d;
const QUOTE = 0x22, BACKSLASH = 0x5c, NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export interface Sniffed {
  /**
   * `lines`: the first value ends on its first line and another value follows (JSONL, whatever the name);
   * `document`: one array or object (it spans lines, or nothing follows it, or it is longer than the window).
   */
  kind: 'lines' | 'document';
  /** The same bytes from the start: what was looked at, then the rest of the stream. */
  chunks: AsyncIterable<Buffer>;
  /** When the whole input (up to its end or its fault) was read while sniffing: the same bytes again, from memory. */
  replay?: () => AsyncIterable<Buffer>;
}

/**
 * Tell a JSON document from JSONL that starts with `[` or `{`, by finding where the first value ends.
 * Reads at most SNIFF_WINDOW_BYTES ahead (a newline inside the first value settles it at once), and
 * hands the bytes on unchanged. A container fault met while sniffing is passed on, not thrown here.
 */
export async function sniffContainer(chunks: AsyncIterable<Buffer>): Promise<Sniffed> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let fault: InputFault | undefined;
  let ended = false;
  let verdict: 'lines' | 'document' | undefined;
  let depth = 0;
  let inString = false;
  let escape = false;
  let started = false;
  let closed = false;
  while (verdict === undefined) {
    let next: IteratorResult<Buffer>;
    try {
      next = await it.next();
    } catch (e) {
      if (!(e instanceof InputFault)) throw e;
      fault = e;
      break;
    }
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = next.value;
    seen.push(chunk);
    let i = size === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    size += chunk.length;
    for (; i < chunk.length && verdict === undefined; i++) {
      const b = chunk[i];
      if (closed) {
        if (!isSpace(b)) verdict = 'lines';
      } else if (b === NEWLINE && started) verdict = 'document';
      else if (inString) {
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_OBJ || b === OPEN_ARR) {
        started = true;
        depth++;
      } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        if (--depth === 0) closed = true;
      }
    }
    if (size >= SNIFF_WINDOW_BYTES) break;
  }
  const kind = verdict ?? 'document';
  return {
    kind,
    chunks: replayThen(seen, it, fault, ended),
    replay: ended || fault ? () => replayThen(seen, it, fault, true) : undefined,
  };
}

async function* replayThen(seen: Buffer[], it: AsyncIterator<Buffer>, fault: InputFault | undefined, ended: boolean): AsyncGenerator<Buffer> {
  try {
    yield* seen;
    if (fault) throw fault;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A reader that stops early closes the source (a replay exists only when the source already ended).
    await it.return?.();
  }
}
