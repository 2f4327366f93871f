import { describe, expect, it } from 'vitest';
import { PieceCache } from '../../src/tokens/piece-cache.js';

/** The encoder's pre-token cache (src/tokens/piece-cache.ts): keys read in place from a longer text. */

const idsOf = (c: PieceCache, e: number) => Array.from(c.ids.subarray(c.idsAt(e), c.idsAt(e) + c.idsCount(e)));

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
