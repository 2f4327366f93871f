import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUFFER_BYTES = 1 << 20;

/**
 * Strings appended to a temporary file and read back by (offset, length), so a caller can keep a fixed
 * size reference instead of the string. Used for the ids of kept records, which dedup needs only when a
 * duplicate turns up.
 *
 * The file is unlinked right after it is opened (POSIX keeps it readable through the descriptor), so
 * nothing is left in the temp directory even when the process is killed. Where unlinking an open file is
 * not allowed (Windows), it is removed by close().
 */
export class IdSpill {
  private readonly path = join(tmpdir(), `chatmill-dedup-${process.pid}-${randomBytes(6).toString('hex')}.ids`);
  private fd: number;
  private unlinked = false;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  private flushed = 0;

  constructor() {
    this.fd = openSync(this.path, 'wx+', 0o600);
    try {
      unlinkSync(this.path);
      this.unlinked = true;
    } catch {
      // removed in close()
    }
  }

  /** Append `text`; returns its byte offset and length in the file. */
  append(text: string): { offset: number; length: number } {
    const length = Buffer.byteLength(text);
    const offset = this.flushed + this.buffered;
    if (this.buffered + length > BUFFER_BYTES) this.flush();
    if (length > BUFFER_BYTES / 2) {
      this.writeAll(Buffer.from(text));
    } else {
      this.buffer.write(text, this.buffered);
      this.buffered += length;
    }
    return { offset, length };
  }

  read(offset: number, length: number): string {
    if (offset >= this.flushed) return this.buffer.toString('utf8', offset - this.flushed, offset - this.flushed + length);
    const out = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`dedup id file ended early at byte ${offset + done}`);
      done += n;
    }
    return out.toString('utf8');
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    if (!this.unlinked) unlinkSync(this.path);
  }

  private flush(): void {
    if (this.buffered === 0) return;
    this.writeAll(this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }

  private writeAll(bytes: Buffer): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.flushed + done);
    this.flushed += bytes.length;
  }
}
