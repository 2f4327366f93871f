import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { UsageError } from '../types.js';
import { InputFault } from './fault.js';

/** A byte stream with its first chunk already looked at, so readers can sniff the container. */
export interface PeekedBytes {
  head: Buffer;
  /** The bytes, head first. Throws InputFault when the container breaks (a cut or corrupt gzip stream). */
  chunks: AsyncIterable<Buffer>;
  /**
   * Only for a plain file: a reader that is done with each chunk when it asks for the next one (it keeps copies,
   * never the chunk) calls this before reading on; the file is then read into the same few buffers over and over.
   */
  recycle?: () => void;
  /** Close the source (the file, and a gunzip stream over it), for a caller that stops before the chunks end. */
  close(): Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const CHUNK_BYTES = 1 << 20;

/** Open a file (or `-` for stdin) as bytes, gunzipping when it starts with the gzip magic. */
export async function openBytes(path: string): Promise<PeekedBytes> {
  const source = path === '-' ? { chunks: process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>, recycle: undefined } : fileChunks(path);
  const first = await peek(source.chunks, (e) => new UsageError(`cannot read ${path}: ${e.message}`));
  const gz = first.head[0] === GZIP_MAGIC[0] && first.head[1] === GZIP_MAGIC[1];
  // Only the file's own chunks can be recycled: the gunzip stream makes new ones (and stdin's are node's).
  return gz ? gunzipped(path, first) : { ...first, recycle: source.recycle };
}

/**
 * A plain file's bytes in chunks of CHUNK_BYTES, the next one read while the caller works on the current one.
 * Each chunk is a new buffer until `recycle` is called; from then on the chunks take turns in two buffers. On this
 * kind of machine a fresh buffer costs more to touch the first time than to read: finding the newlines of a 33 MB
 * JSONL file in fresh chunks took ~90 ms, in reused ones ~3 ms, and reading plus decoding its lines took half the
 * time with two reused buffers (~110 ms saved).
 */
function fileChunks(path: string): { chunks: AsyncIterator<Buffer>; recycle(): void } {
  let handle: Promise<FileHandle> | undefined;
  let recycling = false;
  const spare: Buffer[] = [];
  let previous: Buffer | undefined;
  let ahead: Promise<Buffer> | undefined;
  let ended = false;
  const readOne = async (): Promise<Buffer> => {
    const fh = await (handle ??= open(path, 'r'));
    const buf = (recycling && spare.pop()) || Buffer.allocUnsafeSlow(CHUNK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
    return buf.subarray(0, bytesRead);
  };
  const close = async () => {
    ended = true;
    const opened = handle;
    handle = undefined;
    await (await opened?.catch(() => undefined))?.close();
  };
  const chunks: AsyncIterator<Buffer> = {
    async next() {
      if (ended) return { done: true, value: undefined };
      try {
        const chunk = await (ahead ?? readOne());
        ahead = undefined;
        // The caller has finished with the chunk before this one: with recycling on, its buffer is free again.
        if (recycling && previous) spare.push(Buffer.from(previous.buffer, previous.byteOffset, CHUNK_BYTES));
        previous = chunk;
        if (chunk.length === 0) {
          await close();
          return { done: true, value: undefined };
        }
        ahead = readOne();
        ahead.catch(() => undefined); // observed by the next call
        return { done: false, value: chunk };
      } catch (e) {
        await close();
        throw e;
      }
    },
    async return() {
      await ahead?.catch(() => undefined);
      await close();
      return { done: true, value: undefined };
    },
  };
  return { chunks, recycle: () => (recycling = true) };
}

/** The gunzipped bytes of a stream whose first chunk starts with the gzip magic. */
function gunzipped(path: string, first: PeekedBytes): Promise<PeekedBytes> {
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  const compressed = Readable.from(first.chunks);
  // A read error of the file itself (already a UsageError, from peek) ends the gunzipped stream with it.
  compressed.on('error', (e) => gunzip.destroy(e));
  compressed.pipe(gunzip);
  let produced = 0;
  // Stopping early (the iterator's return, which peek calls) ends the gunzip stream and closes the file under it.
  const close = async () => {
    gunzip.destroy();
    compressed.destroy();
    await first.close();
  };
  const counted = countBytes(gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>, (n) => (produced += n), close);
  return peek(counted, (e) => gzipFault(path, e, gunzip, produced));
}

/**
 * A gzip stream error is a data fault of this one file, not of the run: `unexpected end of file` is a cut
 * (`truncated_file`), anything else (bad CRC, bad block) is `corrupt_file`. A read error of the file
 * itself (EIO, permission) stays a usage error.
 */
function gzipFault(path: string, e: Error, gunzip: Gunzip, produced: number): Error {
  if (e instanceof UsageError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (!code.startsWith('Z_')) return new UsageError(`cannot read ${path}: ${e.message}`);
  const where = `at decompressed byte ${produced} (compressed bytes consumed: ${gunzip.bytesWritten})`;
  return code === 'Z_BUF_ERROR'
    ? new InputFault('truncated_file', `${path}: the gzip data is cut off (${e.message}) ${where}`)
    : new InputFault('corrupt_file', `${path}: the gzip data is corrupt (${e.message}) ${where}`);
}

function countBytes(it: AsyncIterator<Buffer>, add: (n: number) => void, close: () => Promise<void>): AsyncIterator<Buffer> {
  return {
    async next() {
      const r = await it.next();
      if (!r.done) add(r.value.length);
      return r;
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
}

/** Take the first chunk off a stream (errors become `fail(e)`, thrown when the chunks are iterated). */
async function peek(it: AsyncIterator<Buffer>, fail: (e: Error) => Error): Promise<PeekedBytes> {
  // Besides the chunks generator's own finally: a generator that has not started runs nothing when returned.
  const close = async () => void (await it.return?.());
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    const err = fail(e as Error);
    // A fault in the very first bytes still reaches the reader, which turns it into a reject.
    if (!(err instanceof InputFault)) throw err;
    return { head: Buffer.alloc(0), chunks: failing(err), close };
  }
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (!first.done) yield head;
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await it.next();
        } catch (e) {
          throw fail(e as Error);
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // A reader that stops early (an error, a run that needs no more) lets the source close its file now.
      await it.return?.();
    }
  }
  return { head, chunks: chunks(), close };
}

async function* failing(err: Error): AsyncGenerator<Buffer> {
  throw err;
}

/**
 * Whether the start of a file looks like binary data rather than JSON text: NUL bytes in the first 8 KB, and
 * either the text does not begin like JSON or NULs are more than 1% of it. A JSON or JSONL file with a stray
 * NUL in one line stays text, so that line alone is rejected (not_json) instead of the whole file.
 */
export function looksBinary(head: Buffer): boolean {
  const probe = head.subarray(0, 8192);
  if (!probe.includes(0)) return false;
  const first = firstSignificantByte(probe);
  if (first !== 0x7b && first !== 0x5b) return true;
  let nuls = 0;
  for (const b of probe) if (b === 0) nuls++;
  return nuls * 100 > probe.length;
}

/** First non-whitespace byte after an optional UTF-8 BOM. */
export function firstSignificantByte(head: Buffer): number | undefined {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return i < head.length ? head[i] : undefined;
}
