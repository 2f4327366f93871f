import { createReadStream } from 'node:fs';

/** The lines of one of our own JSONL files, split on bytes (our files are plain UTF-8 JSONL with \n endings). */
export async function* ownJsonlLines(path: string): AsyncGenerator<string> {
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      yield (rest ? Buffer.concat([rest, piece]) : piece).toString('utf8');
      rest = undefined;
      start = nl + 1;
    }
    if (start < chunk.length) rest = rest ? Buffer.concat([rest, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
  }
  if (rest?.length) yield rest.toString('utf8');
}
