import { describe, expect, it } from 'vitest';
import { GenerationalPieceCache, PieceCache } from '../../src/tokens/piece-cache.js';

/** The encoder's pre-token cache (src/tokens/piece-cache.ts): keys read in place from a longer text. */

const idsOf = (c: PieceCache, e: number) => Array.from(c.ids.subarray(c.idsAt(e), c.idsAt(e) + c.idsCount(e)));
/** The ids a GenerationalPieceCache holds for the whole string k, or undefined. */
const lookup = (c: GenerationalPieceCache, k: string) => {
  const hit = c.find(k, 0, k.length, PieceCache.hash(k, 0, k.length));
  return hit ? Array.from(hit.table.ids.subarray(hit.table.idsAt(hit.entry), hit.table.idsAt(hit.entry) + hit.table.idsCount(hit.entry))) : undefined;
};
const add = (c: GenerationalPieceCache, k: string, ids: number[]) => c.set(k, 0, k.length, PieceCache.hash(k, 0, k.length), ids);

describe('PieceCache', () => {
  it('finds a piece by its characters wherever they lie in a text, and nothing else', () => {
    const c = new PieceCache(100);
    const text = 'the cat sat on the mat';
    c.set(text, 3, 7, PieceCache.hash(text, 3, 7), [4, 5]); // " cat"
    const other = 'a cat';
    expect(idsOf(c, c.find(other, 1, 5, PieceCache.hash(other, 1, 5)))).toEqual([4, 5]);
    for (const [s, e] of [[1, 4], [1, 3], [0, 4], [7, 11]]) expect(c.find(text, s, e, PieceCache.hash(text, s, e))).toBe(-1);
  });

  it('keeps keys with equal hashes apart (the hash is only a hint)', () => {
    const c = new PieceCache(100);
    const text = 'abcdefgh';
    // One hash for all: every lookup probes past the others and compares characters.
    c.set(text, 0, 2, 7, [1]);
    c.set(text, 2, 4, 7, [2]);
    c.set(text, 0, 3, 7, [3, 3]);
    expect(idsOf(c, c.find('ab', 0, 2, 7))).toEqual([1]);
    expect(idsOf(c, c.find('cd', 0, 2, 7))).toEqual([2]);
    expect(idsOf(c, c.find('abc', 0, 3, 7))).toEqual([3, 3]);
    expect(c.find('ef', 0, 2, 7)).toBe(-1);
  });

  it('holds its capacity of long keys and many ids (the pools grow), and forgets everything on clear', () => {
    const c = new PieceCache(20_000);
    const key = (i: number) => `piece-${i}-${'x'.repeat(i % 40)}`;
    for (let i = 0; i < 20_000; i++) {
      const k = key(i);
      c.set(k, 0, k.length, PieceCache.hash(k, 0, k.length), Array.from({ length: 1 + (i % 5) }, (_, j) => i * 10 + j));
    }
    for (let i = 0; i < 20_000; i += 997) {
      const k = key(i);
      expect(idsOf(c, c.find(k, 0, k.length, PieceCache.hash(k, 0, k.length)))).toEqual(Array.from({ length: 1 + (i % 5) }, (_, j) => i * 10 + j));
    }
    c.clear();
    expect(c.size).toBe(0);
    const k = key(5);
    expect(c.find(k, 0, k.length, PieceCache.hash(k, 0, k.length))).toBe(-1);
    c.set(k, 0, k.length, PieceCache.hash(k, 0, k.length), [9]);
    expect(idsOf(c, c.find(k, 0, k.length, PieceCache.hash(k, 0, k.length)))).toEqual([9]);
  });
});

describe('GenerationalPieceCache (the encoder\'s policy when full)', () => {
  it('keeps a piece in steady use through any number of generations, and misses only the new pieces', () => {
    const c = new GenerationalPieceCache(100);
    add(c, ' the', [279]);
    for (let i = 0; i < 1000; i++) {
      const k = `word${i}`;
      expect(lookup(c, k)).toBeUndefined();
      add(c, k, [i, i + 1]);
      if (i % 50 === 0) expect(lookup(c, ' the')).toEqual([279]);
    }
    expect(c.misses).toBe(1000);
    expect(lookup(c, 'word999')).toEqual([999, 1000]);
  });

  it('forgets a piece unused for two generations (memory stays bounded)', () => {
    const c = new GenerationalPieceCache(100);
    add(c, 'cold', [1]);
    for (let i = 0; i < 150; i++) add(c, `w${i}`, [i]);
    expect(lookup(c, 'cold')).toEqual([1]); // one swap: still in the old generation, copied forward
    for (let i = 150; i < 450; i++) add(c, `w${i}`, [i]);
    expect(lookup(c, 'cold')).toBeUndefined();
    expect(lookup(c, 'w10')).toBeUndefined();
  });

  it('a hit in the old generation copied forward when the young one is full (so they swap) keeps its ids', () => {
    const c = new GenerationalPieceCache(4);
    add(c, 'old-a', [7, 8, 9]);
    add(c, 'old-b', [10]);
    for (let i = 0; i < 6; i++) add(c, `y${i}`, [100 + i]); // old: old-a, old-b, y0, y1; young: y2..y5 (full)
    expect(lookup(c, 'old-a')).toEqual([7, 8, 9]);
    expect(lookup(c, 'old-b')).toBeUndefined(); // the swap emptied the generation that held it
    expect(lookup(c, 'y5')).toEqual([105]);
    expect(lookup(c, 'old-a')).toEqual([7, 8, 9]);
  });
});

describe('GenerationalPieceCache.snapshot / adopt (a worker starts from the main thread\'s cache)', () => {
  it('gives the adopting cache every entry of both generations with its ids, after a structured clone, without counting misses', () => {
    const a = new GenerationalPieceCache(4);
    add(a, 'one', [1]);
    add(a, 'two', [2, 22]);
    for (let i = 0; i < 5; i++) add(a, `w${i}`, [100 + i, 7]); // a swap: one, two, w0, w1 are now the old generation
    const b = new GenerationalPieceCache(4);
    add(b, 'own', [3]);
    b.adopt(structuredClone(a.snapshot()));
    // Young first (w2..w4: plain hits), then one old entry (copied forward, which fills the young generation).
    for (let i = 2; i < 5; i++) expect(lookup(b, `w${i}`)).toEqual([100 + i, 7]);
    expect(lookup(b, 'two')).toEqual([2, 22]);
    expect(b.misses).toBe(0);
    expect(lookup(b, 'own')).toBeUndefined(); // adopting replaces
    expect(b.misses).toBe(1);
    // The adopted tables go on working as the policy says: the next copy forward swaps, and the old generation
    // then holds w2..w4 and two.
    expect(lookup(b, 'w0')).toEqual([100, 7]);
    expect(lookup(b, 'w1')).toBeUndefined();
    expect(lookup(b, 'w3')).toEqual([103, 7]);
    // The snapshot was a copy: the original still answers as before.
    expect(lookup(a, 'w1')).toEqual([101, 7]);
  });

  it('keeps keys exact code unit by code unit: a lone surrogate is not confused with U+FFFD', () => {
    const a = new GenerationalPieceCache(16);
    add(a, 'x\ud800', [5]);
    add(a, '\udc00\ud83d\ude00', [7, 8]); // a lone low surrogate, then a pair
    const b = new GenerationalPieceCache(16);
    b.adopt(structuredClone(a.snapshot()));
    expect(lookup(b, 'x\ud800')).toEqual([5]);
    expect(lookup(b, 'x\ufffd')).toBeUndefined();
    expect(lookup(b, '\udc00\ud83d\ude00')).toEqual([7, 8]);
  });

  it('a cache that adopted an empty snapshot (a worker started before anything was cached) still takes entries', () => {
    const b = new GenerationalPieceCache(4);
    b.adopt(structuredClone(new GenerationalPieceCache(4).snapshot()));
    for (let i = 0; i < 10; i++) add(b, `piece number ${i}`, [i, i, i]);
    expect(lookup(b, 'piece number 9')).toEqual([9, 9, 9]);
  });

  it('refuses a snapshot of another capacity (its table sizes would not match)', () => {
    const a = new GenerationalPieceCache(16);
    expect(() => new GenerationalPieceCache(32).adopt(a.snapshot())).toThrow(/capacity 16/);
  });
});
