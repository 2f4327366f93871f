import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runPairs, countBy } from './run-helper.js';
import { runPairsCommand } from '../../src/pairs/run-pairs.js';
import type { PreferencePair } from '../../schemas/preference.js';

// UltraFeedback's documented record shape (ultrafeedback/README.md): ratings are strings per aspect.
const rated = (response: string, ratings: Record<string, string>) => ({
  model: 'm',
  response,
  annotations: Object.fromEntries(Object.entries(ratings).map(([k, v]) => [k, { Rating: v, Rationale: '…' }])),
});
const uf = {
  source: 'sharegpt',
  instruction: 'Plan 4 days in Cairo.',
  completions: [
    rated('A', { helpfulness: '3', honesty: '3' }), // mean 3
    rated('B', { helpfulness: '5', honesty: '4' }), // mean 4.5
    rated('C', { helpfulness: '2', honesty: '2' }), // mean 2
    rated('D', { helpfulness: '4', honesty: '3' }), // mean 3.5
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'chatmill-pairs-'));
const file = (name: string, rows: unknown[]) => {
  const p = join(dir, name);
  writeFileSync(p, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
};

describe('strategies on UltraFeedback ratings', () => {
  test('best-worst: B (4.5) vs C (2), margin 2.5', async () => {
    const r = await runPairs([file('uf.jsonl', [uf])]);
    const p = r.out[0] as PreferencePair;
    expect([p.chosen[0].content, p.rejected[0].content, p.score_chosen, p.score_rejected, p.margin]).toEqual(['B', 'C', 4.5, 2, 2.5]);
    expect(p.prompt).toEqual([{ role: 'user', content: 'Plan 4 days in Cairo.' }]);
  });

  test('all-pairs: 4 distinct scores give C(4,2) = 6 pairs; --min-margin 1 keeps the 5 with margin >= 1', async () => {
    // Margins: B-A 1.5, A-C 1, D-A 0.5, B-C 2.5, B-D 1, D-C 1.5: all but D-A are >= 1; none is >= 3.
    const all = await runPairs([file('uf2.jsonl', [uf])], { strategy: 'all-pairs' });
    expect(all.out.length).toBe(6);
    const m1 = await runPairs([file('uf3.jsonl', [uf])], { strategy: 'all-pairs', minMargin: 1 });
    expect(m1.out.length).toBe(5);
    const m3 = await runPairs([file('uf4.jsonl', [uf])], { strategy: 'all-pairs', minMargin: 3 });
    expect(countBy(m3.drops)).toEqual({ low_margin: 1 });
  });

  test('aspect and aggregate options: honesty alone makes B (4) vs C (2); min makes B (4) vs C (2)', async () => {
    const h = await runPairs([file('uf5.jsonl', [uf])], { aspect: 'honesty' });
    expect((h.out[0] as PreferencePair).margin).toBe(2);
    const mn = await runPairs([file('uf6.jsonl', [uf])], { aggregate: 'min' });
    expect((mn.out[0] as PreferencePair).score_chosen).toBe(4);
  });

  test('ties are dropped as tie; "N/A" or absent ratings are rejected as missing_rating, not a crash', async () => {
    const tie = { instruction: 'q', completions: [rated('x', { h: '3' }), rated('y', { h: '3.0' })] };
    const na = { instruction: 'q', completions: [rated('x', { h: 'N/A' }), rated('y', { h: '3' })] };
    const none = { instruction: 'q', completions: [{ response: 'x' }, { response: 'y', overall_score: 4 }] };
    const r = await runPairs([file('bad.jsonl', [tie, na, none])]);
    expect(r.out.length).toBe(0);
    expect(countBy(r.drops)).toEqual({ tie: 1 });
    expect(countBy(r.rejects)).toEqual({ missing_rating: 2 });
  });

  test('ranked lists: best first; best-worst pairs first vs last', async () => {
    const r = await runPairs([file('ranked.jsonl', [{ prompt: 'q', ranked: ['best', 'mid', 'worst'] }])]);
    const p = r.out[0] as PreferencePair;
    expect([p.chosen[0].content, p.rejected[0].content, p.margin]).toEqual(['best', 'worst', 2]);
  });
});

describe('determinism', () => {
  // Ten records whose completions tie at the top and the bottom, so best-worst and best-random must choose.
  const rows = Array.from({ length: 10 }, (_, i) => ({
    instruction: `q${i}`,
    completions: ['a', 'b', 'c', 'd', 'e', 'f'].map((t, k) => ({ response: `${t}${i}`, overall_score: k < 3 ? 5 : 1 })),
  }));
  const input = file('ties.jsonl', rows);
  const run = async (seed: number, out: string) => {
    await runPairsCommand({ inputs: [input], out: join(dir, out), strategy: 'best-random', seed });
    return readFileSync(join(dir, out));
  };

  test('the same seed gives byte-identical output; another seed chooses differently', async () => {
    const a = await run(7, 'a.jsonl');
    const b = await run(7, 'b.jsonl');
    expect(a.equals(b)).toBe(true);
    const c = await run(8, 'c.jsonl');
    expect(c.equals(a)).toBe(false);
    expect(a.toString().trim().split('\n').length).toBe(10);
  });
});
