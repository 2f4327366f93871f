import type { Candidate, StrategyName } from './types.js';
import { pick, type Rng } from './prng.js';

export interface Selection {
  /** [chosen index, rejected index] into the candidate list. */
  pairs: Array<[number, number]>;
}
export interface NoPair {
  outcome: 'reject' | 'drop';
  reason: string;
  message: string;
  path: string;
}

export interface StrategyParams {
  strategy: StrategyName;
  minMargin: number;
  rng: Rng;
}

/**
 * Choose pairs from rated candidates.
 * - best-worst: a top-scored vs a bottom-scored candidate (ties among them broken by the seeded rng).
 * - best-random: a top-scored candidate vs a random one scoring at least `minMargin` lower.
 * - all-pairs: every two candidates whose scores differ by at least `minMargin`, higher as chosen.
 * A margin must always be positive: equal scores are dropped as `tie`, a positive margin below
 * `minMargin` as `low_margin`. A missing rating rejects the record (`missing_rating`).
 */
export function selectPairs(cands: Candidate[], p: StrategyParams): Selection | NoPair {
  if (cands.length < 2) return { outcome: 'reject', reason: 'too_few_completions', message: `${cands.length} completion(s); a pair needs 2`, path: '' };
  const unrated = cands.find((c) => c.score === null);
  if (unrated) return { outcome: 'reject', reason: 'missing_rating', message: `${unrated.path} has no numeric rating`, path: unrated.path };
  const s = cands.map((c) => c.score as number);
  const top = Math.max(...s);
  const bottom = Math.min(...s);
  if (top === bottom) return { outcome: 'drop', reason: 'tie', message: `all ${cands.length} completions score ${top}`, path: '' };
  const indices = s.map((_, i) => i);
  const ok = (i: number, j: number) => s[i] - s[j] > 0 && s[i] - s[j] >= p.minMargin;
  const lowMargin: NoPair = {
    outcome: 'drop',
    reason: 'low_margin',
    message: `no two completions differ by at least ${p.minMargin} (largest margin ${top - bottom})`,
    path: '',
  };

  if (p.strategy === 'all-pairs') {
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        if (ok(i, j)) pairs.push([i, j]);
        else if (ok(j, i)) pairs.push([j, i]);
      }
    }
    return pairs.length ? { pairs } : lowMargin;
  }
  const best = pick(p.rng, indices.filter((i) => s[i] === top));
  if (p.strategy === 'best-worst') {
    if (top - bottom < p.minMargin) return lowMargin;
    return { pairs: [[best, pick(p.rng, indices.filter((i) => s[i] === bottom))]] };
  }
  const others = indices.filter((j) => ok(best, j));
  return others.length ? { pairs: [[best, pick(p.rng, others)]] } : lowMargin;
}
