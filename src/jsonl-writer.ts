import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';

/**
 * Append-only JSONL output with backpressure: `write` waits when the OS buffer is full, so a fast
 * producer cannot pile records up in memory. `-` writes to stdout.
 */
export class JsonlWriter {
  private readonly stream: WriteStream | NodeJS.WriteStream;
  private readonly ownsStream: boolean;
  count = 0;

  constructor(readonly path: string) {
    if (path === '-') {
      this.stream = process.stdout;
      this.ownsStream = false;
    } else {
      mkdirSync(dirname(path), { recursive: true });
      this.stream = createWriteStream(path);
      this.ownsStream = true;
    }
  }

  async write(value: unknown): Promise<void> {
    this.count++;
    if (!this.stream.write(`${JSON.stringify(value)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.ownsStream) return;
    const s = this.stream as WriteStream;
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
