/**
 * Text normalization and tokenization shared by near_dedup and decontaminate.
 *
 * Normal form: NFKC, lower case, and every run of punctuation, symbols, controls and whitespace folded to
 * one word boundary. A token is then a run of letters, digits and marks, except in scripts written without
 * spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), where every character is its own token, so
 * that n-grams over tokens are character n-grams there and word n-grams elsewhere (mixed text works too).
 *
 * One scanner serves two callers and guarantees they agree on token boundaries: the fast path hashes each
 * token while scanning (no strings are made), the exact path returns the token strings. ASCII text skips
 * NFKC (it is the identity on ASCII) and is lower-cased inline.
 */
import type { Message } from '../../schemas/chatml.js';
import { turnText } from '../chatml/hermes-text.js';
import type { U32Buffer } from '../u32-buffer.js';

const SEP = 0;
const WORD = 1;
const CHAR = 2; // a script without spaces: one token per character

const NO_SPACE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORDISH = /[\p{L}\p{N}\p{M}]/u;

function classify(ch: string): number {
  if (!WORDISH.test(ch)) return SEP;
  return NO_SPACE.test(ch) ? CHAR : WORD;
}

/**
 * Class of every BMP code unit, built on first use (about 20 ms, so commands that never scan text, such as
 * `audit`, do not pay for it at start-up); surrogate pairs are classified on the fly.
 */
let bmpTable: Uint8Array | undefined;
const bmpClasses = (): Uint8Array => (bmpTable ??= buildBmpClasses());

function buildBmpClasses(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    t[c] = c < 128 ? ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? WORD : SEP) : classify(String.fromCharCode(c));
  }
  return t;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * BMP code units after which NFKC might change a string: characters that NFKC changes on their own, marks
 * and Hangul jamo (the only characters that compose with what precedes them), and the high surrogates of
 * astral blocks with compatibility characters (math alphanumerics, enclosed supplements, CJK compatibility
 * supplement). A string with none of these is already NFKC, so its (costly) normalization is skipped. Built on
 * first use, like the class table.
 */
let nfkcMaybeTable: Uint8Array | undefined;
const nfkcMaybe = (): Uint8Array => (nfkcMaybeTable ??= buildNfkcMaybe());

function buildNfkcMaybe(): Uint8Array {
  const t = new Uint8Array(65536);
  const mark = /[\p{M}\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]/u;
  for (let c = 128; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (ch.normalize('NFKC') !== ch || mark.test(ch)) t[c] = 1;
  }
  for (const hi of [0xd835, 0xd83c, 0xd87e]) t[hi] = 1;
  return t;
}

/** NFKC + lower case; ASCII text is returned as is (the scanner lower-cases it inline). */
export function foldText(s: string): string {
  if (ASCII.test(s)) return s;
  const maybe = nfkcMaybe();
  for (let i = 0; i < s.length; i++) if (maybe[s.charCodeAt(i)]) return s.normalize('NFKC').toLowerCase();
  return s.toLowerCase();
}

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers that mixes every bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Scan folded text and report each token as [start, end) with its 32-bit FNV-1a hash over the
 * lower-cased UTF-16 code units.
 */
function scan(s: string, onToken: (start: number, end: number, hash: number) => void): void {
  const n = s.length;
  const classes = bmpClasses();
  let start = -1;
  let h = 0;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const cp = s.codePointAt(i)!;
      cls = cp > 0xffff ? classify(String.fromCodePoint(cp)) : SEP;
      if (cp > 0xffff) width = 2;
    } else {
      cls = classes[c];
      if (c >= 65 && c <= 90) c += 32;
    }
    if (cls === WORD) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ c, 0x01000193);
      if (width === 2) h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
    } else {
      if (start >= 0) {
        onToken(start, i, h >>> 0);
        start = -1;
      }
      if (cls === CHAR) {
        let ch = Math.imul(0x811c9dc5 ^ c, 0x01000193);
        if (width === 2) ch = Math.imul(ch ^ s.charCodeAt(i + 1), 0x01000193);
        onToken(i, i + width, ch >>> 0);
      }
    }
    i += width - 1;
  }
  if (start >= 0) onToken(start, n, h >>> 0);
}

/**
 * Token hashes of `text` (after folding) into `out`: the scanner above, specialised to write hashes inline (the
 * hot path of both stages; `test/curate/text.test.ts` checks it agrees with tokenStrings).
 */
export function tokenHashes(text: string, out: U32Buffer): void {
  const s = foldText(text);
  const n = s.length;
  if (out.data.length < n + 1) out.data = new Uint32Array(Math.max(n + 1, out.data.length * 2));
  const d = out.data;
  const classes = bmpClasses();
  let len = 0;
  let inWord = false;
  let h = 0;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const cp = s.codePointAt(i)!;
      cls = cp > 0xffff ? classify(String.fromCodePoint(cp)) : SEP;
      if (cp > 0xffff) width = 2;
    } else {
      cls = classes[c];
      if (c >= 65 && c <= 90) c += 32;
    }
    if (cls === WORD) {
      if (!inWord) {
        inWord = true;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ c, 0x01000193);
      if (width === 2) h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
    } else {
      if (inWord) {
        d[len++] = h >>> 0;
        inWord = false;
      }
      if (cls === CHAR) {
        let ch = Math.imul(0x811c9dc5 ^ c, 0x01000193);
        if (width === 2) ch = Math.imul(ch ^ s.charCodeAt(i + 1), 0x01000193);
        d[len++] = ch >>> 0;
      }
    }
    i += width - 1;
  }
  if (inWord) d[len++] = h >>> 0;
  out.length = len;
}

/** The token strings of `text`, exactly as tokenHashes sees them. */
export function tokenStrings(text: string): string[] {
  const s = foldText(text);
  const out: string[] = [];
  scan(s, (a, b) => out.push(s.slice(a, b).toLowerCase()));
  return out;
}

/**
 * Hashes of the n-grams over `tokens` into `out`. A text with fewer than n tokens (but at least one)
 * gives one shingle made of all its tokens, so short texts still compare; an empty text gives none.
 */
export function gramHashes(tokens: U32Buffer, n: number, out: U32Buffer): void {
  out.clear();
  const t = tokens.data;
  const m = tokens.length;
  if (m === 0) return;
  const width = Math.min(n, m);
  for (let i = 0; i + width <= m; i++) {
    let h = 0x9e3779b9 ^ width;
    for (let k = 0; k < width; k++) h = Math.imul(((h << 5) | (h >>> 27)) ^ t[i + k], 0x9e3779b1);
    out.push(fmix32(h));
  }
}

/** The exact n-gram strings over token strings, with the same short-text rule as gramHashes. */
export function gramStrings(tokens: string[], n: number): Set<string> {
  const set = new Set<string>();
  const m = tokens.length;
  if (m === 0) return set;
  const width = Math.min(n, m);
  for (let i = 0; i + width <= m; i++) set.add(tokens.slice(i, i + width).join(' '));
  return set;
}

/**
 * Exact Jaccard similarity of the n-gram sets of two token sequences (same short-text rule as gramStrings).
 * Tokens are numbered in a dictionary shared by the pair, so each n-gram becomes a string of n UTF-16 code
 * units (one per token number) instead of the joined words: the same sets, far less to hash. A pair with
 * 65,536 distinct tokens or more falls back to the joined words.
 */
export function shingleJaccard(a: string[], b: string[], n: number): number {
  const dict = new Map<string, number>();
  const ids = (t: string[]) => {
    const out = new Array<number>(t.length);
    for (let i = 0; i < t.length; i++) {
      let id = dict.get(t[i]);
      if (id === undefined) dict.set(t[i], (id = dict.size));
      out[i] = id;
    }
    return out;
  };
  const ia = ids(a);
  const ib = ids(b);
  if (dict.size >= 65536) return jaccard(gramStrings(a, n), gramStrings(b, n));
  const grams = (t: number[]) => {
    const set = new Set<string>();
    if (!t.length) return set;
    const w = Math.min(n, t.length);
    for (let i = 0; i + w <= t.length; i++) set.add(String.fromCharCode.apply(null, t.slice(i, i + w)));
    return set;
  };
  return jaccard(grams(ia), grams(ib));
}

/** Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sets (1 for two empty sets). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * The text of the turns whose role is in `roles`, in order, one turn per line. A turn's tool calls and tool
 * result count as its Hermes text (what the model reads), so records that differ only in their calls differ here.
 */
export function turnsText(messages: readonly Message[], roles: readonly string[]): string {
  let out = '';
  for (const m of messages) {
    if (!roles.includes(m.role)) continue;
    const text = turnText(m);
    out = out ? `${out}\n${text}` : text;
  }
  return out;
}
