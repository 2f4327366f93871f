import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { UsageError } from '../types.js';

/** A byte stream with its first chunk already looked at, so readers can sniff the container. */
export interface PeekedBytes {
  head: Buffer;
  chunks: AsyncIterable<Buffer>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Open a file (or `-` for stdin) as bytes, gunzipping when it starts with the gzip magic. */
export async function openBytes(path: string): Promise<PeekedBytes> {
  const raw: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const first = await peek(raw, path);
  const gz = first.head[0] === GZIP_MAGIC[0] && first.head[1] === GZIP_MAGIC[1];
  if (!gz) return first;
  const gunzip = createGunzip();
  Readable.from(first.chunks).pipe(gunzip);
  raw.on('error', (e) => gunzip.destroy(e));
  const inner = await peek(gunzip, path);
  return inner;
}

async function peek(stream: Readable, path: string): Promise<PeekedBytes> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (!first.done) yield head;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await it.next();
      } catch (e) {
        throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
      }
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, chunks: chunks() };
}

/** A text container has no NUL bytes; a binary file gets a clear error naming it. */
export function assertText(head: Buffer, path: string): void {
  const probe = head.subarray(0, 8192);
  if (probe.includes(0)) {
    throw new UsageError(`${path} looks like a binary file (NUL bytes in the first ${probe.length} bytes); expected JSON, JSONL, .gz or .parquet`);
  }
}

/** First non-whitespace byte after an optional UTF-8 BOM. */
export function firstSignificantByte(head: Buffer): number | undefined {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return i < head.length ? head[i] : undefined;
}
