/**
 * The mix decision on hand-built groups. Every expected number below is worked out by hand from the rule
 * documented in docs/mixing.md: whole passes over a group first (up to max_epochs), then one more pass in
 * priority order taking a record only when it brings the group strictly closer to its budget.
 */
import { describe, expect, it } from 'vitest';
import { planMix, type PlanInput, type Within } from '../../src/mix/plan.js';

function input(groups: Record<string, number[]>, extra: Partial<PlanInput> & { within?: Within } = {}): PlanInput {
  const names = Object.keys(groups);
  const group: number[] = [];
  const tokens: number[] = [];
  // Records are interleaved across groups, so input order differs from group order.
  const longest = Math.max(...Object.values(groups).map((g) => g.length));
  for (let i = 0; i < longest; i++) {
    names.forEach((n, k) => {
      if (i < groups[n].length) {
        group.push(k);
        tokens.push(groups[n][i]);
      }
    });
  }
  return { groups: names, maxEpochs: 3, seed: 1, within: { by: 'random' }, group: Int32Array.from(group), tokens: Float64Array.from(tokens), count: group.length, ...extra };
}

describe('planMix', () => {
  it('downsamples to a budget, keeping the longest records first', () => {
    const plan = planMix(input({ a: [20, 100, 30, 50] }, { budgets: [150], within: { by: 'longest' } }));
    // Longest first: 100 (0 < 300: take), 50 (50 < 100: take, 150 reached), 30 and 20 (not < 0): dropped.
    expect(Array.from(plan.times)).toEqual([0, 1, 0, 1]);
    expect(plan.groups[0]).toMatchObject({ budget: 150, available: 200, achieved: 150, kept: 2, dropped: 2, repeats: 0, met: true, shortfall: 0 });
  });

  it('shortest first, and a record that would land exactly as far past the budget as it is below is not taken', () => {
    const plan = planMix(input({ a: [20, 100, 30, 50] }, { budgets: [150], within: { by: 'shortest' } }));
    // 20, 30, 50 are taken (100 so far); 100 would give 200, 50 past the budget, no closer than 50 below: left out.
    expect(Array.from(plan.times)).toEqual([1, 0, 1, 1]);
    expect(plan.groups[0]).toMatchObject({ achieved: 100, met: false, shortfall: 0 });
  });

  it('upsamples with whole passes, then a partial pass; copies are counted as repeats', () => {
    const plan = planMix(input({ a: [60, 40] }, { budgets: [250], within: { by: 'longest' } }));
    // floor(250 / 100) = 2 passes (200), then 50 more wanted: 60 < 100 is taken (260), 40 < -20 is not.
    expect(Array.from(plan.times)).toEqual([3, 2]);
    expect(plan.groups[0]).toMatchObject({ achieved: 260, kept: 2, repeats: 3, epochs: [0, 0, 1, 1], met: false, shortfall: 0 });
  });

  it('a group that cannot reach its budget within max_epochs reports the shortfall', () => {
    const plan = planMix(input({ a: [70, 30] }, { budgets: [500], maxEpochs: 3 }));
    expect(Array.from(plan.times)).toEqual([3, 3]);
    expect(plan.groups[0]).toMatchObject({ achieved: 300, shortfall: 200, met: false });
  });

  it('shares without a total: the group that runs out first at max_epochs sets the total', () => {
    const a = Array.from({ length: 100 }, () => 10); // 1,000 tokens
    const b = Array.from({ length: 20 }, () => 10); // 200 tokens
    const plan = planMix(input({ a, b }, { shares: [0.5, 0.5], maxEpochs: 2 }));
    // Total = min(1000 × 2 / 0.5, 200 × 2 / 0.5) = 800: 400 each; b twice over, a: 40 of its 100 records once.
    expect(plan.totalBudget).toBe(800);
    expect(plan.groups.map((g) => [g.budget, g.achieved, g.kept, g.repeats])).toEqual([
      [400, 400, 40, 0],
      [400, 400, 20, 20],
    ]);
    expect(plan.totalAchieved).toBe(800);
  });

  it('shares with a total, and records outside the target are left alone (-1)', () => {
    const inp = input({ a: [10, 10, 10, 10], b: [10, 10, 10, 10] }, { shares: [0.75, 0.25], totalTokens: 40 });
    inp.group[0] = -1; // one record of a is not in the target
    const plan = planMix(inp);
    expect(plan.times[0]).toBe(0);
    expect(plan.groups.map((g) => [g.budget, g.achieved, g.records])).toEqual([
      [30, 30, 3],
      [10, 10, 4],
    ]);
  });

  it('random order is fixed by the seed: same seed, same choice; another seed, another choice', () => {
    const tokens = Array.from({ length: 500 }, (_, i) => 10 + (i % 7));
    const pick = (seed: number) => Array.from(planMix(input({ a: tokens }, { budgets: [2000], seed })).times);
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    const kept = pick(7).reduce((s, t, i) => s + t * tokens[i], 0);
    expect(Math.abs(kept - 2000)).toBeLessThanOrEqual(20); // within 1%
    // Random, not a prefix: the first record kept is not always the first in input order.
    const firstKept = [3, 4, 5].map((s) => pick(s).indexOf(1));
    expect(new Set(firstKept).size).toBeGreaterThan(1);
  });

  it('within a numeric field: highest value first, records without it last', () => {
    const inp = input({ a: [10, 10, 10, 10] }, { budgets: [20], within: { by: 'field', field: 'score' } });
    inp.key = Float64Array.from([0.2, NaN, 0.9, 0.5]);
    expect(Array.from(planMix(inp).times)).toEqual([0, 0, 1, 1]);
  });
});
