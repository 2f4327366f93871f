import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearDedupStage, nearDedupSettings } from '../../src/curate/near-dedup.js';
import { candidateProbability } from '../../src/curate/minhash.js';
import { runIngest } from '../../src/ingest.js';
import type { Dropped } from '../../src/types.js';
import { conv, runStage, type Conv } from './helpers.js';

/**
 * Hand-built texts whose Jaccard similarity is known by counting: 100 distinct words have 96 word 5-grams;
 * replacing one word (with a new word) removes the 5 grams that cover it and adds 5 new ones. Edits at
 * least 5 words apart touch disjoint grams, so after k edits: shared = 96 − 5k, J = (96 − 5k) / (96 + 5k).
 *   k = 1: 91/101 = 0.901   k = 2: 86/106 = 0.811   k = 3: 81/111 = 0.730   k = 4: 76/116 = 0.655
 * The assistant turn is a fixed "ok" that shares no gram with the words (it adds one more shared gram, the
 * window that spans the user/assistant boundary changes, so the texts use only the user turn, roles: [user]).
 */
const base = Array.from({ length: 100 }, (_, i) => `w${i}`);
const edit = (words: string[], at: number[], tag: string) => words.map((w, i) => (at.includes(i) ? `${tag}${i}` : w));
const text = (words: string[]) => words.join(' ');
const user = (id: string, words: string[]): Conv => conv(id, text(words));
const J = (k: number) => (96 - 5 * k) / (96 + 5 * k);

const drops = (outcomes: { kind: string }[]) => outcomes.filter((o): o is Dropped & { detail: Record<string, number> } => o.kind === 'drop');

describe('near_dedup decisions on texts of known similarity', () => {
  it('drops J ≥ 0.8 against the first kept record, keeps J < 0.8, with the exact similarity', async () => {
    const recs = [
      user('A', base),
      user('B', edit(base, [50], 'b')), // k = 1 from A → drop, 0.901
      user('C', edit(base, [10, 30, 50, 70], 'c')), // k = 4 from A → keep (0.655), and C is now a kept leader
      user('D', edit(base, [20, 60], 'd')), // k = 2 from A → drop, 0.811
      user('E', edit(base, [20, 40, 60], 'e')), // k = 3 from A; from C: 7 edits apart → keep
    ];
    const { outcomes } = await runStage(nearDedupStage({ roles: ['user'] }), recs);
    expect(outcomes.map((o) => o.kind)).toEqual(['keep', 'drop', 'keep', 'drop', 'keep']);
    const d = drops(outcomes);
    expect(d.map((x) => [x.id, x.duplicateOf, x.reason])).toEqual([['B', 'A', 'near_duplicate'], ['D', 'A', 'near_duplicate']]);
    expect(d[0].detail.similarity).toBe(J(1));
    expect(d[1].detail.similarity).toBe(J(2));
  });

  it('does not chain: a record close to a dropped one but not to the kept one is kept', async () => {
    // X is 2 edits from A (0.811, dropped); Y is 2 edits from X but 4 from A (0.655). Union-find over
    // candidate edges would put Y in A's cluster and drop it with a similarity below the threshold.
    const X = edit(base, [10, 30], 'x');
    const Y = edit(X, [50, 70], 'y');
    const { outcomes } = await runStage(nearDedupStage({ roles: ['user'] }), [user('A', base), user('X', X), user('Y', Y)]);
    expect(outcomes.map((o) => o.kind)).toEqual(['keep', 'drop', 'keep']);
  });

  it('exact copies are J = 1 whatever their case and punctuation; roles decide what is compared', async () => {
    const sys = 'You are a helpful assistant who answers carefully and in detail, always.';
    const recs = [
      conv('1', 'What is the capital of France and why?', 'Paris is the capital of France, since 508.', sys),
      conv('2', 'what is the CAPITAL of france, and why', 'Paris is the capital of France -- since 508', sys),
      conv('3', 'Name a prime number larger than ten please.', 'Eleven is one such prime number here.', sys),
    ];
    const d = drops((await runStage(nearDedupStage(), recs)).outcomes);
    expect(d.map((x) => [x.id, x.duplicateOf, x.detail.similarity])).toEqual([['2', '1', 1]]);
    // With the shared system prompt as the only compared role, everything looks alike.
    const s = drops((await runStage(nearDedupStage({ roles: ['system'] }), recs)).outcomes);
    expect(s.map((x) => x.id)).toEqual(['2', '3']);
  });

  it('is deterministic: the same input and seed give the same drops; the seed only changes which pairs are candidates', async () => {
    const recs = [user('A', base), user('B', edit(base, [50], 'b')), user('C', edit(base, [10, 30, 50, 70], 'c')), user('D', edit(base, [20, 60], 'd'))];
    const runs = await Promise.all([42, 42, 1].map(async (seed) => drops((await runStage(nearDedupStage({ roles: ['user'], seed }), recs)).outcomes).map((x) => [x.id, x.duplicateOf, x.detail.similarity])));
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toEqual([['B', 'A', J(1)], ['D', 'A', J(2)]]);
    // Another seed draws other hash functions: D (J = 0.811) is a candidate with probability
    // 1 − (1 − 0.811^8)^16 = 0.964 under a given seed (0.97 measured over 2,000 seeds), and seed 1 happens
    // to miss it. What a seed can never
    // change is a drop below the threshold or a similarity that is not the exact one.
    expect(runs[2]).toEqual([['B', 'A', J(1)]]);
  });

  it('defaults: threshold 0.8, 5-grams, 128 bins as 16 bands × 8 rows, user and assistant', () => {
    const s = nearDedupSettings();
    expect([s.threshold, s.ngram, s.numPerm, s.bands, s.rows, s.roles]).toEqual([0.8, 5, 128, 16, 8, ['user', 'assistant']]);
    // The S-curve at the threshold and just above it (1 − (1 − s^8)^16), computed by hand: 0.947 and 0.994.
    expect(candidateProbability(0.8, 16, 8)).toBeCloseTo(0.9473, 3);
    expect(candidateProbability(0.85, 16, 8)).toBeCloseTo(0.9938, 3);
    expect(() => nearDedupSettings({ threshold: 1.5 })).toThrow(/threshold/);
    expect(() => nearDedupSettings({ bands: 20, rows: 8 })).toThrow(/fit in num_perm/);
  });
});

describe('near_dedup in a run', () => {
  it('every record is accounted for, drops carry duplicate_of and similarity, and the spill is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-nd-test-'));
    const spill = mkdtempSync(join(tmpdir(), 'chatmill-nd-spill-'));
    const lines = [user('A', base), user('B', edit(base, [50], 'b')), user('C', edit(base, [10, 30, 50, 70], 'c')), user('A2', base)];
    writeFileSync(join(dir, 'in.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const dropped: Dropped[] = [];
    const tally = await runIngest({ inputs: [join(dir, 'in.jsonl')], extraStages: [nearDedupStage({ roles: ['user'], tmpDir: spill })], sinks: { reject() {}, drop: (d) => void dropped.push(d) } });
    const s = tally.summary();
    expect([s.read, s.kept, s.rejected, s.dropped]).toEqual([4, 2, 0, 2]);
    expect(dropped.map((d) => [d.ref.index, d.reason, d.id, d.duplicateOf, (d as { detail?: unknown }).detail])).toEqual([
      [1, 'near_duplicate', 'B', 'A', { similarity: J(1) }],
      [3, 'near_duplicate', 'A2', 'A', { similarity: 1 }],
    ]);
    expect(readdirSync(spill)).toEqual([]);
  });
});

describe('near_dedup phases run apart give the stage result', () => {
  it('collect all signatures, then decide in input order, then apply = the streaming stage', async () => {
    const { NearDupSignatures, NearDupDecider } = await import('../../src/curate/near-dedup.js');
    const { ShingleStore } = await import('../../src/curate/shingle-store.js');
    const recs = [
      user('A', base),
      user('B', edit(base, [50], 'b')),
      user('C', edit(base, [10, 30, 50, 70], 'c')),
      user('D', edit(base, [20, 60], 'd')),
      user('E', edit(edit(base, [10, 30, 50, 70], 'c'), [90], 'e')), // 1 edit from C
      user('A2', base),
    ];
    const s = nearDedupSettings({ roles: ['user'] });
    // collect: every record's band keys, before any decision (as ranks would write them).
    const sig = new NearDupSignatures(s);
    const keys = recs.map((r) => {
      const k = new Uint32Array(s.bands);
      return sig.of(r.messages[0].content, k) ? k : undefined;
    });
    // decide: one pass over the collected keys in input order.
    const store = new ShingleStore();
    const decider = new NearDupDecider(s, store);
    const decisions = recs.map((r, i) => decider.decide(r.id, r.messages[0].content, keys[i]!));
    store.close();
    // apply: compare with the stage.
    const { outcomes } = await runStage(nearDedupStage({ roles: ['user'] }), recs);
    expect(decisions.map((d) => (d ? [d.duplicateOf, d.similarity] : 'keep'))).toEqual(outcomes.map((o) => (o.kind === 'drop' ? [o.duplicateOf, (o as Dropped & { detail: { similarity: number } }).detail.similarity] : 'keep')));
    expect(decisions.map((d) => d?.duplicateOf ?? 'keep')).toEqual(['keep', 'A', 'keep', 'A', 'C', 'A']);
  });
});
