import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { removeStaleTemps, tempPathFor, trackTemp, untrackTemp } from './outputs/atomic.js';

/**
 * JSONL output with backpressure: `write` waits when the OS buffer is full, so a fast producer cannot pile
 * records up in memory. `-` writes to stdout.
 *
 * A file is written under a hidden temporary name beside it and renamed into place by `close()`, so the final
 * name only ever holds a complete file; `abort()` (or a failed process) removes the temporary. Nothing touches
 * the disk before the first write or close: building a writer for a path that then fails a check (an output
 * that is also an input) leaves that path alone.
 */
export class JsonlWriter {
  private stream: WriteStream | NodeJS.WriteStream | undefined;
  private temp: string | undefined;
  private failure: Error | undefined;
  private closed = false;
  count = 0;

  constructor(readonly path: string) {}

  private open(): WriteStream | NodeJS.WriteStream {
    if (this.stream) return this.stream;
    if (this.path === '-') {
      this.stream = process.stdout;
      return this.stream;
    }
    mkdirSync(dirname(this.path), { recursive: true });
    this.temp = tempPathFor(this.path);
    trackTemp(this.temp);
    const s = createWriteStream(this.temp);
    // Keep the error for the next write or close; an unhandled 'error' event would crash the process.
    s.on('error', (err) => (this.failure ??= err));
    this.stream = s;
    return s;
  }

  async write(value: unknown): Promise<void> {
    if (this.failure) throw this.failure;
    const stream = this.open();
    this.count++;
    if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain'); // rejects on a stream error
    if (this.failure) throw this.failure;
  }

  /** Finish the file and rename it into place (an output with no records is an empty file). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.path !== '-') await removeStaleTemps(this.path);
    const stream = this.open();
    this.closed = true;
    if (this.path === '-') return;
    const s = stream as WriteStream;
    try {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await rename(this.temp!, this.path);
    } catch (e) {
      await this.discard();
      throw e;
    }
    untrackTemp(this.temp!);
  }

  /** Give up: the temporary is removed and the final name keeps whatever it held before. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.discard();
  }

  private async discard(): Promise<void> {
    if (!this.temp) return;
    (this.stream as WriteStream).destroy();
    await rm(this.temp, { force: true });
    untrackTemp(this.temp);
  }
}
