import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openBytes } from '../../src/read/bytes.js';
import { readInput } from '../../src/read/index.js';
import type { Outcome } from '../../src/types.js';

// A plain JSONL file is read into two reused 1 MiB buffers (src/read/bytes.ts). These files are several MiB, with
// lines that cross chunk boundaries and lines longer than a chunk, so a buffer reused too early would corrupt them.
const dir = mkdtempSync(join(tmpdir(), 'chatmill-file-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines of varied length (a few of 1.5-2.5 MiB), with multi-byte characters that can fall on a chunk edge. */
function lines(): string[] {
  const out: string[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 6000; i++) {
    const long = i % 1500 === 700;
    const len = long ? 1_500_000 + (next() % 1_000_000) : 20 + (next() % 1200);
    const word = ['héllo', 'wörld', 'данные', '数据', '🙂ok', 'plain'][next() % 6];
    out.push(JSON.stringify({ id: i, text: word.repeat(Math.ceil(len / word.length)).slice(0, len) }));
  }
  return out;
}

async function kept(path: string, stopAfter = Infinity): Promise<string[]> {
  const raws: string[] = [];
  for await (const o of readInput(path) as AsyncGenerator<Outcome<unknown>>) {
    if (o.kind !== 'keep') throw new Error(`unexpected ${o.kind}`);
    raws.push(o.raw!);
    if (raws.length >= stopAfter) break;
  }
  return raws;
}

const openFds = () => readdirSync('/proc/self/fd').length;

/**
 * The open descriptor count once it is back to `want`, or after 2 s. Parquet bytes go to hyparquet, whose read
 * streams close their file just after the data is handed over; a file left open by our reader stays open.
 */
async function fdsSettled(want: number): Promise<number> {
  for (let waited = 0; openFds() !== want && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return openFds();
}

describe('reading a plain file through reused buffers', () => {
  const expected = lines();
  const text = expected.join('\n') + '\n';
  const plain = join(dir, 'big.jsonl');
  writeFileSync(plain, text);

  it('keeps every line exactly as written, across chunk edges and lines longer than a chunk', async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(8 * 2 ** 20);
    const raws = await kept(plain);
    expect(raws.length).toBe(expected.length);
    const wrong = raws.findIndex((r, i) => r !== expected[i]);
    expect(wrong).toBe(-1);
  });

  it('reads the same records from a JSON array, a .json file of JSON lines (both sniffed first) and the gzipped file', async () => {
    const array = join(dir, 'array.json');
    writeFileSync(array, `[\n${expected.join(',\n')}\n]\n`);
    const fromArray = await kept(array);
    expect(fromArray.length).toBe(expected.length);
    expect(fromArray.findIndex((r, i) => r !== expected[i])).toBe(-1);
    const json = join(dir, 'lines.json');
    writeFileSync(json, text);
    expect(await kept(json)).toEqual(expected);
    const gz = join(dir, 'big.jsonl.gz');
    writeFileSync(gz, gzipSync(text));
    expect(await kept(gz)).toEqual(expected);
  });

  it('once recycling, reads into at most three buffers, and the bytes copied out of each chunk are the file', async () => {
    const { chunks, recycle } = await openBytes(plain);
    recycle!();
    const buffers = new Set<ArrayBufferLike>();
    const copies: Buffer[] = [];
    for await (const chunk of chunks) {
      buffers.add(chunk.buffer);
      copies.push(Buffer.from(chunk));
    }
    expect(Buffer.concat(copies).toString()).toBe(text);
    expect(copies.length).toBeGreaterThan(8);
    // The head (read before recycling began) and the one read ahead of it are fresh; every later chunk reuses one.
    expect(buffers.size).toBeLessThanOrEqual(3);
  });

  it.skipIf(process.platform !== 'linux')('closes the file when the reader stops early', async () => {
    const before = openFds();
    expect(await kept(plain, 3)).toEqual(expected.slice(0, 3));
    expect(await fdsSettled(before)).toBe(before);
  });

  it.skipIf(process.platform !== 'linux')('closes the file on every path that stops before the end: binary, gzipped binary, Parquet bytes under another name, an object file read twice, plain and gzipped', async () => {
    // A first object spread over lines, then more objects: read once as a document (which stops where the first
    // object ends), then again as lines. Lines of random text keep the gzipped copy several chunks long.
    const randomLines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, text: randomBytes(100_000).toString('base64') }));
    const prettyThenLines = `{\n  "id": 0,\n  "text": "first"\n}\n${randomLines.join('\n')}\n`;
    // Random bytes do not compress: the gzipped file is several chunks long too, so it is still open when read stops.
    const binary = Buffer.concat([Buffer.alloc(64), randomBytes(3 * 2 ** 20)]);
    const cases: Array<[string, Buffer | string]> = [
      ['binary.jsonl', binary],
      ['binary.jsonl.gz', gzipSync(binary)],
      ['parquet-bytes.jsonl', Buffer.concat([Buffer.from('PAR1'), binary])],
      ['pretty-then-lines.json', prettyThenLines],
      ['pretty-then-lines.json.gz', gzipSync(prettyThenLines)],
    ];
    for (const [name, bytes] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const before = openFds();
      const outcomes: string[] = [];
      for await (const o of readInput(path) as AsyncGenerator<Outcome<unknown>>) outcomes.push(o.kind === 'reject' ? o.reason : o.kind);
      expect([name, await fdsSettled(before)]).toEqual([name, before]);
      expect(outcomes.length).toBeGreaterThan(0);
    }
  });

  it('reports a missing file and a folder as usage errors naming the path', async () => {
    await expect(kept(join(dir, 'missing.jsonl'))).rejects.toThrow(/cannot read .*missing\.jsonl: ENOENT/);
    await expect(kept(dir)).rejects.toThrow(/cannot read .*: EISDIR/);
  });
});
