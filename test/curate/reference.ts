/**
 * A deliberately naive reference for the curation tests, written apart from src/curate: regular
 * expressions instead of the character table and hashing scanner, string n-gram sets, plain loops.
 * Tests compare the stages' decisions and evidence with what this computes.
 */
const NS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const TOKEN = new RegExp(`(?:(?![${NS}])[\\p{L}\\p{N}\\p{M}])+|(?=[${NS}])[\\p{L}\\p{N}\\p{M}]`, 'gu');

/** NFKC, lower case, then word runs (letters, digits, marks) or single characters of no-space scripts. */
export function refTokens(s: string): string[] {
  return s.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

/** n-gram strings; a text shorter than n tokens is one shingle of all its tokens. */
export function refShingles(tokens: string[], n: number): Set<string> {
  const out = new Set<string>();
  if (!tokens.length) return out;
  const w = Math.min(n, tokens.length);
  for (let i = 0; i + w <= tokens.length; i++) out.add(tokens.slice(i, i + w).join(' '));
  return out;
}

export function refJaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Seeded PRNG (mulberry32), so edits are the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
