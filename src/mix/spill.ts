/**
 * The mix stage's spill: kept records written to disk during collect and read back, in order, during apply.
 * Each record is one frame: a 12-byte header (the byte lengths of the ref JSON, the value JSON and the raw
 * text, little-endian u32), then those three byte strings. The raw text is stored as it is, so it is neither
 * escaped into a JSON string on the way out nor unescaped on the way back, which JSON lines would cost for
 * every record (the raw text is usually the largest of the three).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Keep, SourceRef } from '../types.js';

const HEADER = 12;

export class SpillWriter<T> {
  // Large buffers: with the 16 KB default, every few records wait for a write round trip to the disk.
  private readonly out;
  constructor(path: string) {
    this.out = createWriteStream(path, { highWaterMark: 8 << 20 });
  }

  async write(item: Keep<T>): Promise<void> {
    const ref = Buffer.from(JSON.stringify(item.ref));
    const value = Buffer.from(JSON.stringify(item.value));
    const raw = Buffer.from(item.raw);
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(ref.length, 0);
    header.writeUInt32LE(value.length, 4);
    header.writeUInt32LE(raw.length, 8);
    let ok = this.out.write(header);
    ok = this.out.write(ref) && ok;
    ok = this.out.write(value) && ok;
    ok = this.out.write(raw) && ok;
    if (!ok) await once(this.out, 'drain');
  }

  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The frames of a spill file, in the order they were written. A cut frame at the end is an error, not a short read. */
export async function* readSpill<T>(path: string): AsyncGenerator<Keep<T>> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= HEADER) {
      const refLen = buf.readUInt32LE(at);
      const valueLen = buf.readUInt32LE(at + 4);
      const rawLen = buf.readUInt32LE(at + 8);
      const end = at + HEADER + refLen + valueLen + rawLen;
      if (end > buf.length) break;
      let p = at + HEADER;
      const ref = JSON.parse(buf.toString('utf8', p, (p += refLen))) as SourceRef;
      const value = JSON.parse(buf.toString('utf8', p, (p += valueLen))) as T;
      const raw = buf.toString('utf8', p, (p += rawLen));
      yield { kind: 'keep', ref, value, raw };
      at = end;
    }
    // Keep only the unread tail (copied, so the big chunk it came from can be freed).
    pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    buf = pending;
  }
  if (pending.length) throw new Error(`mix: the spill file ${path} ends inside a record (${pending.length} bytes left over)`);
}
