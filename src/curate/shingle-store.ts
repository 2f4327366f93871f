import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A spill of the kept records' chosen-turn text, so that the exact Jaccard of a candidate pair can be
 * computed from the real shingle sets at decide time without holding any text in memory.
 *
 * Each kept record appends `id \u0000 text` (UTF-8) to one temp file; memory holds its offset and
 * length (12 bytes a record) plus a 4 MiB write buffer and a small cache of recently compared records
 * (a near-duplicate cluster compares every member with the same kept record).
 */
export class ShingleStore {
  private readonly dir: string;
  private readonly fd: number;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  count = 0;
  private flushed = 0;
  /** Write buffer: records are UTF-8 encoded straight into it (no per-record allocation). */
  private readonly pending = Buffer.allocUnsafe(4 << 20);
  private pendingBytes = 0;
  private readonly cache = new Map<number, { id: string; value: unknown }>();

  constructor(parent = tmpdir(), private readonly cacheSize = 64) {
    this.dir = mkdtempSync(join(parent, 'chatmill-near-dedup-'));
    this.fd = openSync(join(this.dir, 'kept-text.bin'), 'w+');
  }

  /** Bytes of memory that grow with the input (offsets and lengths). */
  get bytes(): number {
    return this.offsets.byteLength + this.lengths.byteLength;
  }

  /** Bytes written to the spill file. */
  get spillBytes(): number {
    return this.flushed + this.pendingBytes;
  }

  /** Append a kept record; returns its ordinal. */
  add(id: string, text: string): number {
    if (this.count === this.offsets.length) {
      const o = new Float64Array(this.count * 2);
      o.set(this.offsets);
      this.offsets = o;
      const l = new Uint32Array(this.count * 2);
      l.set(this.lengths);
      this.lengths = l;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const most = 3 * (id.length + text.length) + 1;
    if (this.pendingBytes + most > this.pending.length) this.flush();
    const at = this.flushed + this.pendingBytes;
    let len: number;
    if (most > this.pending.length) {
      const buf = Buffer.from(`${id}\u0000${text}`, 'utf8');
      len = buf.length;
      let done = 0;
      while (done < len) done += writeSync(this.fd, buf, done, len - done, at + done);
      this.flushed += len;
    } else {
      let p = this.pendingBytes;
      p += this.pending.write(id, p, 'utf8');
      this.pending[p++] = 0;
      p += this.pending.write(text, p, 'utf8');
      len = p - this.pendingBytes;
      this.pendingBytes = p;
    }
    this.offsets[this.count] = at;
    this.lengths[this.count] = len;
    return this.count++;
  }

  /** The record's id and text. */
  read(ordinal: number): { id: string; text: string } {
    const at = this.offsets[ordinal];
    const len = this.lengths[ordinal];
    if (at + len > this.flushed) this.flush();
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) got += readSync(this.fd, buf, got, len - got, at + got);
    const s = buf.toString('utf8');
    const cut = s.indexOf('\u0000');
    return { id: s.slice(0, cut), text: s.slice(cut + 1) };
  }

  /** Something derived from a stored record (its shingle set), cached for the most recent records. */
  derived<T>(ordinal: number, make: (rec: { id: string; text: string }) => T): { id: string; value: T } {
    const hit = this.cache.get(ordinal);
    if (hit) {
      this.cache.delete(ordinal);
      this.cache.set(ordinal, hit);
      return hit as { id: string; value: T };
    }
    const rec = this.read(ordinal);
    const entry = { id: rec.id, value: make(rec) };
    this.cache.set(ordinal, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private flush(): void {
    let done = 0;
    while (done < this.pendingBytes) done += writeSync(this.fd, this.pending, done, this.pendingBytes - done, this.flushed + done);
    this.flushed += this.pendingBytes;
    this.pendingBytes = 0;
  }

  /** Remove the temp file and its directory. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
