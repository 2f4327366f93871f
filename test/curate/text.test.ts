import { describe, expect, it } from 'vitest';
import { foldText, gramHashes, gramStrings, jaccard, shingleJaccard, tokenHashes, tokenStrings, turnsText } from '../../src/curate/text.js';
import { U32Buffer } from '../../src/u32-buffer.js';

// Expected tokens are written by hand from the rule in docs/curation.md (NFKC, lower case, punctuation and
// whitespace fold to boundaries, one token per character in scripts without spaces).
describe('text folding and tokens', () => {
  it.each([
    ['Hello,   WORLD!! How are-you?', ['hello', 'world', 'how', 'are', 'you']],
    ['ﬁne ＡＢＣ ① x²', ['fine', 'abc', '1', 'x2']], // NFKC: ligature, full-width letters, circled digit, superscript
    ['snake_case: a.b/c', ['snake', 'case', 'a', 'b', 'c']], // underscore is connector punctuation
    ['<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>', ['tool', 'call', 'name', 'get', 'weather', 'arguments', 'city', 'oslo', 'tool', 'call']],
    ['我爱北京。Hi!', ['我', '爱', '北', '京', 'hi']],
    ['ภาษาไทย ok', ['ภ', 'า', 'ษ', 'า', 'ไ', 'ท', 'ย', 'ok']],
    ['café naïve', ['café', 'naïve']],
    ['Ünïcödé ÀB', ['ünïcödé', 'àb']],
    ['emoji 😀 between 𠀀x', ['emoji', 'between', '𠀀', 'x']], // an emoji is a symbol; U+20000 is Han (astral)
    ['', []],
    ['  ... !!! ', []],
  ])('%j', (text, want) => {
    expect(tokenStrings(text)).toEqual(want);
    // The hashing scanner sees the same number of tokens, and equal tokens hash equally.
    const h = new U32Buffer();
    tokenHashes(text, h);
    expect(h.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) for (let j = 0; j < want.length; j++) if (want[i] === want[j]) expect(h.data[i]).toBe(h.data[j]);
  });

  it('n-grams: m − n + 1 windows, one whole-text shingle under n tokens, none for empty text', () => {
    expect([...gramStrings(['a', 'b', 'c', 'd', 'e', 'f'], 5)]).toEqual(['a b c d e', 'b c d e f']);
    expect([...gramStrings(['a', 'b'], 5)]).toEqual(['a b']);
    expect(gramStrings([], 5).size).toBe(0);
    const t = new U32Buffer();
    const g = new U32Buffer();
    tokenHashes('a b c d e f', t);
    gramHashes(t, 5, g);
    expect(g.length).toBe(2);
    tokenHashes('A, b', t);
    gramHashes(t, 5, g);
    expect(g.length).toBe(1);
  });

  it('the same text hashes the same whatever its case and punctuation', () => {
    const a = new U32Buffer();
    const b = new U32Buffer();
    tokenHashes('The quick brown fox.', a);
    tokenHashes('the QUICK, brown -- fox', b);
    expect([...a.data.subarray(0, a.length)]).toEqual([...b.data.subarray(0, b.length)]);
  });

  it('Jaccard: |A∩B| / |A∪B|', () => {
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(2 / 4);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });

  it('shingleJaccard: the Jaccard of the n-gram sets, counted by hand', () => {
    // 3-grams of a b c d e: abc bcd cde; of a b c d x: abc bcd cdx → 2 shared of 4.
    expect(shingleJaccard(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'x'], 3)).toBe(2 / 4);
    // Repeated grams count once: a a a a → {a a a}; a a a → {a a a}.
    expect(shingleJaccard(['a', 'a', 'a', 'a'], ['a', 'a', 'a'], 3)).toBe(1);
    // Under n tokens: one whole-text shingle each.
    expect(shingleJaccard(['a', 'b'], ['a', 'b', 'c'], 5)).toBe(0);
    // Over 65,535 distinct tokens (the fallback): 70,000 words and the same with the last one changed:
    // 69,996 5-grams each; the last word is in only the last 5-gram → 69,995 shared / 69,997.
    const big = Array.from({ length: 70_000 }, (_, i) => `w${i}`);
    expect(shingleJaccard(big, [...big.slice(0, -1), 'zz'], 5)).toBe(69_995 / 69_997);
  });

  it('turnsText keeps the chosen roles in order', () => {
    const m = [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U1' },
      { role: 'assistant', content: 'A1' },
      { role: 'tool', content: 'T' },
      { role: 'user', content: 'U2' },
    ];
    expect(turnsText(m, ['user', 'assistant'])).toBe('U1\nA1\nU2');
    expect(turnsText(m, ['user'])).toBe('U1\nU2');
  });
});

describe('foldText skips NFKC only when it would change nothing', () => {
  it('every BMP character between letters, and composing pairs, fold as NFKC + lower case does', () => {
    // The reference is String.prototype.normalize itself, applied always. (ASCII text is returned as is and
    // lower-cased by the scanner, hence the toLowerCase on our side.)
    const bad: string[] = [];
    for (let c = 0; c < 65536; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const t = `a${String.fromCharCode(c)}b`;
      if (foldText(t).toLowerCase() !== t.normalize('NFKC').toLowerCase()) bad.push(c.toString(16));
    }
    expect(bad).toEqual([]);
    for (const t of ['e\u0301', 'ka\u3099', '\u1100\u1161', '\u1100\u1161\u11a8', 'x\u{1d400}y', 'é😀', 'A\u{2f800}', '\u0b47\u0b3e', '\u0d46\u0d3e'])
      expect(foldText(t)).toBe(t.normalize('NFKC').toLowerCase());
  });
});
