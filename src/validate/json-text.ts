/**
 * One linear pass over a record's JSON text, before JSON.parse, that answers three questions cheaply:
 * does it nest too deep, does a string hold an unpaired `\uD800`–`\uDFFF` escape (the only way a lone
 * surrogate gets into strictly decoded UTF-8 text; an escaped pair is an ordinary emoji), and is there a
 * number token that might not survive as a double.
 * The answers only decide whether the slower checks run; the common record pays for this scan alone.
 */

export const TOO_DEEP = 1;
export const SURROGATE_ESCAPE = 2;
export const NUMBER_TO_CHECK = 4;

/** A run of this many integer digits may exceed 2^53 - 1 (16 digits), so the token gets a closer look. */
const DIGITS_TO_CHECK = 16;

const QUOTE = 34;
const BACKSLASH = 92;

const isHex8toB = (c: number): boolean => c === 56 || c === 57 || c === 65 || c === 66 || c === 97 || c === 98;
const isHexCtoF = (c: number): boolean => (c >= 67 && c <= 70) || (c >= 99 && c <= 102);

/** Flags (TOO_DEEP, SURROGATE_ESCAPE, NUMBER_TO_CHECK) for `text`; stops at TOO_DEEP. */
export function scanJsonText(text: string, maxDepth: number): number {
  let flags = 0;
  let depth = 0;
  // Integer digits in the current number token; negative after a '.', so fraction digits never count.
  let digits = 0;
  let nextBackslash = -2;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      digits = 0;
      // Jump through the string with indexOf (native speed); stop at each backslash only to skip the escape.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (nextBackslash < j && nextBackslash !== -1) nextBackslash = text.indexOf('\\', j);
        if (q === -1) return flags; // unterminated: JSON.parse will say so
        if (nextBackslash === -1 || nextBackslash > q) {
          i = q;
          break;
        }
        const b = nextBackslash;
        j = b + 2;
        if (text.charCodeAt(b + 1) === 117 /* u */ && (text.charCodeAt(b + 2) | 0x20) === 100 /* d or D */) {
          const third = text.charCodeAt(b + 3);
          if (isHex8toB(third)) {
            // A high surrogate escape is fine when a low one follows (how ensure_ascii JSON writes emoji).
            if (text.charCodeAt(b + 6) === BACKSLASH && text.charCodeAt(b + 7) === 117 && (text.charCodeAt(b + 8) | 0x20) === 100 && isHexCtoF(text.charCodeAt(b + 9))) j = b + 12;
            else flags |= SURROGATE_ESCAPE;
          } else if (isHexCtoF(third)) flags |= SURROGATE_ESCAPE; // a low surrogate that is no pair's second half
        }
      }
    } else if (c >= 48 && c <= 57) {
      if (++digits >= DIGITS_TO_CHECK) flags |= NUMBER_TO_CHECK;
    } else if (c === 46 /* . */) {
      digits = -Infinity;
    } else if ((c === 101 || c === 69) /* e E */ && digits !== 0) {
      flags |= NUMBER_TO_CHECK;
    } else {
      digits = 0;
      if (c === 123 || c === 91) {
        if (++depth > maxDepth) return flags | TOO_DEEP;
      } else if (c === 125 || c === 93) depth--;
    }
  }
  return flags;
}

/** A number token whose value JSON.parse cannot hold exactly. */
export interface InexactNumber {
  /** The token as written. */
  text: string;
  start: number;
  end: number;
  /** `1e999`: becomes ±Infinity as a double (written back as null). */
  nonFinite: boolean;
  /** `1e-400`: a number that is not zero as written but a double rounds to 0. */
  underflow?: boolean;
}

const NUMBER_TOKEN = /-?\d+(\.\d+)?([eE][-+]?\d+)?/y;

/**
 * Every number token outside strings that a double would change: non-finite ones, non-zero ones a double
 * rounds to zero, and integer literals
 * whose digits do not come back from the double (`9007199254740993` reads as ...992). Fractions are left
 * alone: Python's json reads them as the same doubles, so the trainer sees the same values.
 */
export function inexactNumbers(text: string): InexactNumber[] {
  const found: InexactNumber[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1) break;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      NUMBER_TOKEN.lastIndex = i;
      const m = NUMBER_TOKEN.exec(text);
      if (!m) continue;
      const token = m[0];
      const value = Number(token);
      // Below 16 digits every integer is exact (-0 reads back as 0 here and in Python alike).
      const longInteger = m[1] === undefined && m[2] === undefined && token.length - (c === 45 ? 1 : 0) >= DIGITS_TO_CHECK;
      const nonFinite = !Number.isFinite(value);
      // Only a token with an exponent can be this small; its digits before the exponent say it is not zero.
      const underflow = value === 0 && m[2] !== undefined && /[1-9]/.test(token.slice(0, token.length - m[2].length));
      if (nonFinite || underflow || (longInteger && JSON.stringify(value) !== token)) {
        found.push({ text: token, start: i, end: i + token.length, nonFinite, ...(underflow ? { underflow } : {}) });
      }
      i += token.length - 1;
    }
  }
  return found;
}

/** Index of the closing quote of the string opening at `open`, or -1 when it never closes. */
function stringEnd(text: string, open: number): number {
  let j = open + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q === -1) return -1;
    let slashes = 0;
    for (let k = q - 1; k > open && text.charCodeAt(k) === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q;
    j = q + 1;
  }
}
