import { copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCompiled, readCompiled } from '../../src/tokens/compiled-cache.js';
import { CompiledTokenizer, type PendingBytes } from '../../src/tokens/compiled.js';
import { readHeader } from '../../src/tokens/compiled-format.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { resolveTokenizerFiles, type TokenizerFiles } from '../../src/tokens/source.js';
import { HAS_REALDATA, realStrings as strings, rustHermes3 } from './helpers.js';

/**
 * Reading the compiled tokenizer's lookup tables on first use (src/tokens/compiled.ts, compiled-cache.ts), and
 * loading them once per process: a small input reads only the pages its lookups reach, the ids stay the Rust
 * tokenizer's, whatever is handed to worker threads is complete, and a cache file truncated or written after it
 * was checked is reported, never used. Each describe block has its own cache folder.
 */

const saved = process.env.CHATMILL_CACHE;
afterAll(() => {
  if (saved === undefined) delete process.env.CHATMILL_CACHE;
  else process.env.CHATMILL_CACHE = saved;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh cache folder holding the hermes3 tables, old enough to be stamped, and the path of its file. */
async function stampedCache(): Promise<{ dir: string; path: string; files: TokenizerFiles }> {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-lazy-'));
  process.env.CHATMILL_CACHE = dir;
  const files = await resolveTokenizerFiles({ spec: 'hermes3' });
  const path = join(dir, readdirSync(dir).find((f) => f.endsWith('.bin'))!);
  // A file changed in the last 2 s is not stamped (compiled-stamp.ts): let it age, then let one read stamp it.
  utimesSync(path, 1_700_000_000, 1_700_000_000);
  await sleep(2_100);
  expect(readCompiled(path).checked).toBe('crc32');
  return { dir, path, files };
}

/**
 * The cache file copied to `path`, aged and stamped by a first (checksummed) read like stampedCache's, then read
 * again: those tables come from the stamp, so their merge table is read on first use.
 */
async function lazyCopy(cache: { dir: string; path: string }, path: string): Promise<CompiledTokenizer> {
  copyFileSync(cache.path, path);
  utimesSync(path, 1_700_000_000, 1_700_000_000);
  await sleep(2_100);
  expect(readCompiled(path, cache.dir).checked).toBe('crc32');
  return readCompiled(path, cache.dir).tables!;
}

const SAMPLE = "<|im_start|>user\nWhat is 12345 × 6789? Explain step by step, and 日本語 too.<|im_end|>\n<|im_start|>assistant\nI don't know.<|im_end|>\n";

/** PendingBytes over a complete copy of a compiled buffer, counting the bytes it is asked for. */
function pendingOver(whole: Uint8Array, into: Uint8Array, from: number): PendingBytes & { filled: number; finished: boolean } {
  return {
    from,
    filled: 0,
    finished: false,
    fill(start, end) {
      into.set(whole.subarray(start, end), start);
      this.filled += end - start;
    },
    done() {
      this.finished = true;
    },
  };
}

describe('a cache file trusted by its stamp is read on first use', () => {
  let cache: Awaited<ReturnType<typeof stampedCache>>;
  beforeAll(async () => {
    cache = await stampedCache();
  });

  it('a small input reads a few pages of the 8 MB merge table; the buffer handed to workers is whole', async () => {
    const read = readCompiled(cache.path);
    expect(read.checked).toBe('stamp');
    const tables = read.tables!;
    expect(tables.complete).toBe(false);
    const enc = new TokenEncoder({ ...cache.files, compiled: tables });
    const want = (await rustHermes3().encode(SAMPLE, null, { addSpecialTokens: false })).getIds();
    expect(enc.encode(SAMPLE)).toEqual(want);
    expect(tables.complete).toBe(false);
    // What a worker thread is given (src/parallel/tokenize-stage.ts reads `.buffer`): every byte, checksum and all.
    const shared = tables.buffer;
    expect(tables.complete).toBe(true);
    expect(shared).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(new Uint8Array(shared)).equals(readFileSync(cache.path))).toBe(true);
    const inWorker = CompiledTokenizer.fromBuffer(shared, { verify: true });
    expect(new TokenEncoder({ ...cache.files, compiled: inWorker }).encode(SAMPLE)).toEqual(want);
  });

  it('a file truncated after it was opened is reported at the first read of a missing page, not read as zeros', async () => {
    const path = join(cache.dir, 'truncated.bin');
    const tables = await lazyCopy(cache, path);
    expect(tables.complete).toBe(false);
    truncateSync(path, statSync(path).size - 4_000_000);
    const enc = new TokenEncoder({ ...cache.files, compiled: tables });
    expect(() => enc.encode(SAMPLE)).toThrow(/truncated|changed/);
    expect(() => tables.loadAll()).toThrow(/truncated|changed/);
  });

  it('a file written in place after it was opened (same size, one byte changed) is reported', async () => {
    const path = join(cache.dir, 'rewritten.bin');
    const tables = await lazyCopy(cache, path);
    const b = readFileSync(path);
    b[b.length - 1000] ^= 0xff;
    writeFileSync(path, b);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(() => tables.buffer).toThrow(/changed while chatmill was reading it/);
    expect(tables.complete).toBe(false);
  });

  it('a file replaced by a rename after it was opened does not matter: the open file is still the one checked', async () => {
    const path = join(cache.dir, 'replaced.bin');
    const tables = await lazyCopy(cache, path);
    writeFileSync(`${path}.tmp`, Buffer.alloc(statSync(path).size, 7));
    renameSync(`${path}.tmp`, path);
    expect(Buffer.from(new Uint8Array(tables.buffer)).equals(readFileSync(cache.path))).toBe(true);
  });
});

describe.skipIf(!HAS_REALDATA)('tables read page by page give the Rust tokenizer\'s ids on real text', () => {
  it.each(['llamafactory/dpo_zh_demo.json', 'benchmarks/humaneval/HumanEval.jsonl.gz', 'anthropic-hh-rlhf/harmless-base_test.jsonl.gz'])('%s', async (file) => {
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    const whole = new Uint8Array(files.compiled!.buffer);
    // The merge table starts as zeros and is only ever read a page at a time.
    const from = readHeader(whole).sections.mergeTable.offset;
    const sab = new SharedArrayBuffer(whole.length);
    const into = new Uint8Array(sab);
    into.set(whole.subarray(0, from));
    const pending = pendingOver(whole, into, from);
    const lazy = CompiledTokenizer.fromPartialBuffer(sab, pending, { pagesBeforeWhole: Number.POSITIVE_INFINITY });
    const enc = new TokenEncoder({ ...files, compiled: lazy });
    const texts = strings(file);
    const encs = await rustHermes3().encodeBatch(texts, { addSpecialTokens: false });
    let mismatches = 0;
    texts.forEach((t, i) => {
      if (JSON.stringify(enc.encode(t)) !== JSON.stringify(encs[i].getIds())) mismatches++;
    });
    expect(mismatches).toBe(0);
    expect(lazy.complete).toBe(false);
    expect(pending.finished).toBe(false);
    // Every lookup went through the page checks: the tables were never read whole (on this much text, most pages were reached).
    expect(pending.filled).toBeGreaterThan(0);
  });
});

describe('the compiled tables are loaded once per process', () => {
  it('a second load of the same tokenizer gives the same tables without reading the cache file again', async () => {
    const { dir, path } = await stampedCache();
    const first = await resolveTokenizerFiles({ spec: 'hermes3' });
    const second = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(second.compiled).toBe(first.compiled);
    expect(second.compiledNote).toBe('hit');
    const key = readdirSync(dir).find((f) => f.endsWith('.bin'))!.replace(/^tokenizer-/, '').replace(/\.v\d+\.bin$/, '');
    expect(loadCompiled(key, dir).checked).toBe('memory');
    // The file changed since: it is read and checked again, as a new process would.
    utimesSync(path, 1_700_000_001, 1_700_000_001);
    const again = loadCompiled(key, dir);
    expect(again.checked).toBe('crc32');
    expect(again.tables).not.toBe(first.compiled);
  });
});
