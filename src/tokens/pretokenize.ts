/**
 * Hand-written pre-tokenizers: the same pieces as a known split pattern's RegExp, found by a scan over character
 * classes instead of a RegExp exec per piece (which allocates a match array and a string per piece, and was with the
 * cache lookup the larger part of encoding). Patterns not recognized here keep their RegExp (src/tokens/fast-encoder.ts).
 *
 * Character classes come from the same RegExp engine as the pattern (\p{L}, \p{N}, \p{White_Space} under the `u`
 * flag), asked once per distinct code point, so the scan cannot disagree with the pattern on a Unicode version.
 * Parity with the pattern: test/tokens/pretokenize.test.ts (real texts and generated strings).
 */

/** Given text and a piece start (start < end), the end of the piece that starts there. */
export type PieceEnd = (text: string, start: number, end: number) => number;

/**
 * Llama 3's split pattern as @huggingface/tokenizers translates it to a JavaScript RegExp (the compiled tokenizer
 * stores the translation):
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 */
export const LLAMA3_SPLIT = {
  source:
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\p{White_Space}\\p{L}\\p{N}]+[\\r\\n]*|\\p{White_Space}*[\\r\\n]+|\\p{White_Space}+(?!\\P{White_Space})|\\p{White_Space}+",
  flags: 'gu',
} as const;

/** The hand-written scan for a split pattern, or undefined when the pattern is not one written here. */
export function pieceEndFor(split: { source: string; flags: string }): PieceEnd | undefined {
  if (split.source === LLAMA3_SPLIT.source && split.flags === LLAMA3_SPLIT.flags) return llama3PieceEnd;
  return undefined;
}

const LETTER = 1;
const NUMBER = 2;
/** \p{White_Space} except \r and \n. */
const SPACE = 3;
/** \r or \n. */
const NEWLINE = 4;
const OTHER = 5;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\p{White_Space}$/u;

function classify(codePoint: number): number {
  if (codePoint === 0x0a || codePoint === 0x0d) return NEWLINE;
  const s = String.fromCodePoint(codePoint);
  if (IS_LETTER.test(s)) return LETTER;
  if (IS_NUMBER.test(s)) return NUMBER;
  if (IS_SPACE.test(s)) return SPACE;
  return OTHER;
}

/** Class of each BMP code unit, filled on first sight (0: not yet asked). Lone surrogates are OTHER, as in the RegExp. */
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

/** Class of the code point at i (a surrogate pair counts as one code point, as under the `u` flag). */
function classAt(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) {
    const k = bmpClass[c];
    return k !== 0 ? k : (bmpClass[c] = classify(c));
  }
  const d = i + 1 < end ? text.charCodeAt(i + 1) : 0;
  if (d < 0xdc00 || d > 0xdfff) return OTHER;
  const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  let k = astralClass.get(cp);
  if (k === undefined) astralClass.set(cp, (k = classify(cp)));
  return k;
}

/** UTF-16 length of the code point at i: 2 for a surrogate pair inside [i, end), else 1. */
function widthAt(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

function runEnd(text: string, i: number, end: number, cls: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) {
      // Not a high surrogate (nearly every code unit): one table read, width 1. The same as classAt, inlined by hand.
      const k = bmpClass[c];
      if ((k !== 0 ? k : (bmpClass[c] = classify(c))) !== cls) return i;
      i++;
    } else {
      if (classAt(text, i, end) !== cls) return i;
      i += widthAt(text, i, end);
    }
  }
  return i;
}

function newlinesEnd(text: string, i: number, end: number): number {
  for (let c = text.charCodeAt(i); i < end && (c === 0x0a || c === 0x0d); c = text.charCodeAt(++i));
  return i;
}

/**
 * The alternatives of the Llama 3 pattern, tried in the pattern's order at `start`. Every code point starts some
 * alternative (a letter, a number, whitespace, or anything else as the fourth), so pieces tile the text.
 */
function llama3PieceEnd(text: string, start: number, end: number): number {
  const c = text.charCodeAt(start);
  // (?i:'s|'t|'re|'ve|'m|'ll|'d): `| 0x20` lowercases an ASCII letter and maps no other code unit onto one.
  if (c === 0x27 && start + 1 < end) {
    const d = text.charCodeAt(start + 1) | 0x20;
    if (d === 0x73 || d === 0x74 || d === 0x6d || d === 0x64) return start + 2;
    if (start + 2 < end) {
      const e = text.charCodeAt(start + 2) | 0x20;
      if ((d === 0x72 || d === 0x76) && e === 0x65) return start + 3;
      if (d === 0x6c && e === 0x6c) return start + 3;
    }
  }
  const k = classAt(text, start, end);
  const w = widthAt(text, start, end);
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (k === LETTER) return runEnd(text, start + w, end, LETTER);
  if ((k === SPACE || k === OTHER) && start + w < end && classAt(text, start + w, end) === LETTER) return runEnd(text, start + w, end, LETTER);
  // \p{N}{1,3}
  if (k === NUMBER) {
    let i = start + w;
    for (let n = 1; n < 3 && i < end && classAt(text, i, end) === NUMBER; n++) i += widthAt(text, i, end);
    return i;
  }
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  if (k === OTHER) return newlinesEnd(text, runEnd(text, start + w, end, OTHER), end);
  if (c === 0x20 && start + 1 < end && classAt(text, start + 1, end) === OTHER) return newlinesEnd(text, runEnd(text, start + 1, end, OTHER), end);
  // Whitespace (every White_Space code point is in the BMP): \s*[\r\n]+ takes the run through its last line break;
  // without one, \s+(?!\S) takes the run but its last character when a non-space follows, and \s+ one character.
  let i = start;
  let lastNewline = -1;
  for (; i < end; i++) {
    const ki = classAt(text, i, end);
    if (ki === NEWLINE) lastNewline = i;
    else if (ki !== SPACE) break;
  }
  if (lastNewline >= 0) return lastNewline + 1;
  if (i === end || i - start === 1) return i;
  return i - 1;
}
