import { describe, expect, it } from 'vitest';
import { Audit } from '../../schemas/audit.js';
import { AuditAccumulator } from '../../src/tokens/audit.js';
import { lengthHistogram } from '../../src/tokens/histogram.js';
import { packFirstFitDecreasing } from '../../src/tokens/packing.js';

describe('first-fit-decreasing packing (worked by hand)', () => {
  it('8,7,5,4,3,2,1 into 10s: [8,2] [7,3] [5,4,1] -> 3 packs, 100%', () => {
    expect(packFirstFitDecreasing({ lengths: [2, 5, 4, 7, 1, 3, 8], seqLen: 10 })).toEqual({ seq_len: 10, packs: 3, efficiency: 1 });
  });
  it('6,6,6,5,5 into 10s: [6] [6] [6] [5,5] -> 4 packs, 28/40', () => {
    expect(packFirstFitDecreasing({ lengths: [5, 6, 5, 6, 6], seqLen: 10 })).toEqual({ seq_len: 10, packs: 4, efficiency: 0.7 });
  });
  it('decreasing order matters: 3,8,2,7 packs as [8,2] [7,3] (plain first-fit would need 3)', () => {
    expect(packFirstFitDecreasing({ lengths: [3, 8, 2, 7], seqLen: 10 }).packs).toBe(2);
  });
  it('a record longer than seq_len counts as seq_len and fills a pack alone; empty records take no room', () => {
    expect(packFirstFitDecreasing({ lengths: [15, 3, 0], seqLen: 10 })).toEqual({ seq_len: 10, packs: 2, efficiency: 13 / 20 });
  });
  it('no records: 0 packs, efficiency 0', () => {
    expect(packFirstFitDecreasing({ lengths: [], seqLen: 8192 })).toEqual({ seq_len: 8192, packs: 0, efficiency: 0 });
  });
  it('many equal records: 3000 x 1000 tokens into 8192 -> 8 per pack, 375 packs', () => {
    const r = packFirstFitDecreasing({ lengths: new Array(3000).fill(1000), seqLen: 8192 });
    expect(r.packs).toBe(375);
    expect(r.efficiency).toBeCloseTo(3_000_000 / (375 * 8192), 12);
  });
});

describe('length histogram', () => {
  it('power-of-two buckets up to the max-length edge, plus one bucket beyond it', () => {
    const h = lengthHistogram({ lengths: [0, 127, 128, 4096, 8192, 8193, 20000], maxLength: 8192 });
    expect(h.map((b) => [b.min, b.max])).toEqual([
      [0, 127], [128, 255], [256, 511], [512, 1023], [1024, 2047], [2048, 4095], [4096, 8192], [8193, 20000],
    ]);
    expect(h.map((b) => b.records)).toEqual([2, 1, 0, 0, 0, 0, 2, 2]);
  });
  it('a max length that is not a power of two gets its own edge', () => {
    const h = lengthHistogram({ lengths: [300], maxLength: 300 });
    expect(h.map((b) => [b.min, b.max, b.records])).toEqual([[0, 127, 0], [128, 255, 0], [256, 300, 1], [301, 301, 0]]);
  });
});

describe('audit accumulator', () => {
  it('sums per source and category, shares and packing; the result satisfies the strict schema', () => {
    const acc = new AuditAccumulator({ tokenizer: { name: 't', vocab_size: 5, sha256: 'ab' }, template: 'chatml', maxLength: 10, categoryBySource: { 'b.json': 'code' } });
    acc.add({ source: 'a.json', category: 'chat', n_tokens: 8, n_instruction_tokens: 6, n_response_tokens: 2 });
    acc.add({ source: 'a.json', n_tokens: 4, n_instruction_tokens: 1, n_response_tokens: 3 });
    acc.add({ source: 'b.json', n_tokens: 2, n_instruction_tokens: 1, n_response_tokens: 1 });
    acc.add({ source: '__proto__', n_tokens: 6, n_instruction_tokens: 3, n_response_tokens: 3 });
    acc.noteOverLength();
    const a = Audit.parse(acc.result());
    expect([a.records, a.tokens, a.instruction_tokens, a.response_tokens, a.over_max_length]).toEqual([4, 20, 11, 9, 1]);
    expect(a.response_share).toBeCloseTo(9 / 20, 12);
    expect(a.by_source['a.json']).toEqual({ records: 2, tokens: 12, instruction_tokens: 7, response_tokens: 5 });
    expect(Object.keys(a.by_category).sort()).toEqual(['chat', 'code', 'uncategorized']);
    expect(a.by_category.uncategorized.records).toBe(2);
    // a source literally named __proto__ stays an ordinary key in the JSON we write
    const json = JSON.parse(JSON.stringify(acc.result()));
    expect(Object.hasOwn(json.by_source, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).records).toBeUndefined();
    // 8,6,4,2 into 10: [8,2] [6,4] -> 2 packs, full
    expect(a.packing).toEqual({ seq_len: 10, packs: 2, efficiency: 1 });
  });
});
