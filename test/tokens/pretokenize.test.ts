import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledEncoder } from '../../src/tokens/fast-encoder.js';
import { LLAMA3_SPLIT, pieceEndFor, type PieceEnd } from '../../src/tokens/pretokenize.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { HAS_REALDATA, REALDATA, rustIds, rustLlama3 } from './helpers.js';
import { mulberry32 } from '../../src/pairs/prng.js';

/**
 * The hand-written Llama 3 pre-tokenizer (src/tokens/pretokenize.ts) gives exactly the pieces of the split
 * pattern's RegExp, as @huggingface/tokenizers translates the pattern in Llama 3's tokenizer.json: on every text of
 * ../shared/realdata, and on generated strings over the classes the pattern names (letters, marks, numbers,
 * whitespace with \r \n and the unusual spaces, punctuation, contractions in both cases, digit runs, surrogate
 * pairs, lone surrogates). The encoder's ids on the generated strings equal the Rust tokenizer's.
 */

const require = createRequire(import.meta.url);
const tokenizerJson = JSON.parse(readFileSync(join(llama3Dir(), 'tokenizer.json'), 'utf8')) as { pre_tokenizer: { pretokenizers: unknown[] } };
const library = require('@huggingface/tokenizers') as { SplitPreTokenizer: new (config: unknown) => { pattern: RegExp } };
/** The library's own translation of the Split in the real tokenizer.json: the reference the scan must equal. */
const libraryRegex = new library.SplitPreTokenizer(tokenizerJson.pre_tokenizer.pretokenizers[0]).pattern;

/** Isolated split by the RegExp: the matches and the text between them. */
function regexPieces(text: string): string[] {
  const re = new RegExp(libraryRegex.source, libraryRegex.flags);
  const out: string[] = [];
  let prev = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > prev) out.push(text.slice(prev, m.index));
    if (m[0].length) out.push(m[0]);
    prev = m.index + m[0].length;
  }
  if (prev < text.length) out.push(text.slice(prev));
  return out;
}

function scanPieces(scan: PieceEnd, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const j = scan(text, i, text.length);
    if (!(j > i && j <= text.length)) throw new Error(`no progress at ${i} in ${JSON.stringify(text)}`);
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** The texts (of many) whose pieces differ, with both splits, at most `limit`. */
function differences(scan: PieceEnd, texts: Iterable<string>, limit = 5) {
  const out: Array<{ text: string; regex: string[]; scan: string[] }> = [];
  for (const text of texts) {
    const a = regexPieces(text);
    const b = scanPieces(scan, text);
    if (a.length !== b.length || a.some((p, i) => p !== b[i])) out.push({ text, regex: a, scan: b });
    if (out.length >= limit) break;
  }
  return out;
}

const llama3 = pieceEndFor(LLAMA3_SPLIT);

describe('the Llama 3 split pattern is recognized', () => {
  it('the library translates the real tokenizer.json to the pattern the scan is written for', () => {
    expect({ source: libraryRegex.source, flags: libraryRegex.flags }).toEqual(LLAMA3_SPLIT);
    expect(llama3).toBeTypeOf('function');
  });

  it('the compiled tokenizer stores that pattern, so the encoder uses the scan', async () => {
    const saved = process.env.CHATMILL_CACHE;
    process.env.CHATMILL_CACHE = mkdtempSync(join(tmpdir(), 'chatmill-pretok-'));
    try {
      const files = await resolveTokenizerFiles({ spec: 'llama3' });
      expect(files.compiled?.meta.split).toEqual(LLAMA3_SPLIT);
    } finally {
      if (saved === undefined) delete process.env.CHATMILL_CACHE;
      else process.env.CHATMILL_CACHE = saved;
    }
  });

  it('another pattern gets no scan (the RegExp stays)', () => {
    expect(pieceEndFor({ source: LLAMA3_SPLIT.source.replace('{1,3}', ''), flags: 'gu' })).toBeUndefined();
    expect(pieceEndFor({ source: LLAMA3_SPLIT.source, flags: 'giu' })).toBeUndefined();
  });
});

/** Every file under ../shared/realdata as text (gunzipped), and every string value of the JSON / JSONL ones. */
function* realTexts(): Generator<[string, string[]]> {
  const files: string[] = [];
  const walkDir = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walkDir(p);
      else files.push(p);
    }
  };
  walkDir(REALDATA);
  for (const path of files.sort()) {
    let buf = readFileSync(path);
    if (path.endsWith('.gz')) buf = gunzipSync(buf);
    const whole = buf.toString('utf8');
    const texts = [whole];
    const walk = (v: unknown) => {
      if (typeof v === 'string') texts.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    const base = path.replace(/\.gz$/, '');
    try {
      if (base.endsWith('.jsonl')) for (const line of whole.split('\n')) line.trim() && walk(JSON.parse(line));
      else if (base.endsWith('.json')) walk(JSON.parse(whole));
    } catch {
      // Not JSON after all: the whole text is still compared.
    }
    yield [relative(REALDATA, path), texts];
  }
}

describe.skipIf(!HAS_REALDATA)('the scan equals the RegExp on every real text', () => {
  it('every file of ../shared/realdata, whole and every JSON string value', () => {
    let files = 0;
    let texts = 0;
    for (const [file, all] of realTexts()) {
      expect(differences(llama3!, all), file).toEqual([]);
      files++;
      texts += all.length;
    }
    // The folder holds 60+ files and tens of thousands of strings: a walk that found nothing would pass silently.
    expect(files).toBeGreaterThan(50);
    expect(texts).toBeGreaterThan(50_000);
  });
});

/** Units the generated strings are made of: each names a class (or a case) the pattern treats apart. */
const UNITS = [
  // ASCII letters and words, contractions in both cases, and apostrophes that start no contraction
  'a', 'Z', 'word', "'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'Ve", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'", "'x", "'r", "'l",
  // other scripts, marks (not \p{L}: combining acute, Devanagari vowel sign, Arabic fatha), astral letters
  'é', 'ß', 'Ж', '中文', 'ア', 'عرب', 'ह', 'e\u0301', '\u0301', '\u093f', '\u064e', '𝐀', '𠀀', 'ſ', 'K',
  // numbers: ASCII digit runs of 1 to 5, other \p{N} (superscript, fraction, Roman, Arabic-Indic, astral)
  '1', '12', '123', '1234', '12345', '²', '½', 'Ⅻ', '٣', '𝟘', '१२',
  // whitespace: \r \n and the unusual White_Space code points; not White_Space: U+180E, U+200B, U+FEFF
  ' ', '  ', '\t', '\n', '\r', '\r\n', '\n\n', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
  '\u180e', '\u200b', '\ufeff',
  // punctuation and symbols
  '.', ',', '!', '?', '-', '(', ')', '"', '`', '...', '—', '“', '€', '±', '<', '>', '{', '}', '_', '#', '@',
  // emoji: surrogate pairs, a skin tone, a ZWJ family; lone surrogates (the RegExp sees one code point each)
  '😀', '👍🏽', '👨‍👩‍👧', '\ud800', '\udc00', '\ud83d',
];


function* generated(count: number, seed: number): Generator<string> {
  const rand = mulberry32(seed);
  for (let n = 0; n < count; n++) {
    let s = '';
    const len = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < len; i++) s += UNITS[Math.floor(rand() * UNITS.length)];
    yield s;
  }
}

function* allTriples(): Generator<string> {
  for (const a of UNITS) for (const b of UNITS) for (const c of UNITS) yield a + b + c;
}

describe('the scan equals the RegExp on generated strings', () => {
  it('every string of three units', () => {
    expect(differences(llama3!, allTriples())).toEqual([]);
  });

  it('30,000 random strings of 1-12 units', () => {
    expect(differences(llama3!, generated(30_000, 15))).toEqual([]);
  });

  it('a piece that reaches the end of the section sees the end as the pattern does (\\s+(?!\\S))', () => {
    // Scanned as a section of a longer text: the end bound, not the text's own end, is where the lookahead stops.
    const text = 'a  b  ';
    const section = text.slice(0, 3);
    const pieces: string[] = [];
    for (let i = 0; i < 3; ) {
      const j = llama3!(text, i, 3);
      pieces.push(text.slice(i, j));
      i = j;
    }
    expect(pieces).toEqual(regexPieces(section));
  });
});

describe('encoder ids on generated strings equal the Rust tokenizer', () => {
  const saved = process.env.CHATMILL_CACHE;
  let encoder: CompiledEncoder;
  beforeAll(async () => {
    process.env.CHATMILL_CACHE = mkdtempSync(join(tmpdir(), 'chatmill-pretok-'));
    const files = await resolveTokenizerFiles({ spec: 'llama3' });
    encoder = new CompiledEncoder(files.compiled!);
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CHATMILL_CACHE;
    else process.env.CHATMILL_CACHE = saved;
  });

  it('3,000 random strings, one by one and joined (lone surrogates left out: Rust cannot take them)', async () => {
    const wellFormed = [...generated(3_000, 42)].filter((s) => s.isWellFormed());
    expect(wellFormed.length).toBeGreaterThan(2_000);
    const rust = rustLlama3();
    const mismatches: string[] = [];
    for (const s of [...wellFormed, wellFormed.join('')]) {
      if (JSON.stringify(encoder.encode(s)) !== JSON.stringify(await rustIds(rust, s))) mismatches.push(s);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
