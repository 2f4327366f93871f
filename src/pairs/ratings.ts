import { isObject, own } from '../formats/problem.js';
import { parseRating } from './checks.js';
import type { Aggregate } from './types.js';

export interface RatingRule {
  aggregate: Aggregate;
  aspect?: string;
}

const OVERALL_KEYS = ['overall_score', 'score', 'rating', 'reward'] as const;

/** The overall score of a completion object, if it carries one under a known key. */
function overall(item: Record<string, unknown>): { found: boolean; value: number | null } {
  for (const k of OVERALL_KEYS) {
    const v = own(item, k);
    if (v !== undefined) return { found: true, value: parseRating(v) };
  }
  return { found: false, value: null };
}

/** One aspect's rating: `{Rating: "4", …}` (UltraFeedback) or a bare number or numeric string. */
function aspectRating(v: unknown): number | null {
  return parseRating(isObject(v) ? (own(v, 'Rating') ?? own(v, 'rating')) : v);
}

/**
 * A completion's score under the configured rule. Per-aspect ratings (`annotations`) are combined by
 * `aggregate` (mean, min or max); `overall` reads the overall score instead; `aspect` picks one.
 * Any missing or unparseable rating that the rule needs makes the score null: such a record is
 * rejected as `missing_rating`, never guessed.
 */
export function scoreOf(item: unknown, rule: RatingRule): number | null {
  if (!isObject(item)) return null;
  const annotations = own(item, 'annotations');
  if (rule.aspect !== undefined) return isObject(annotations) ? aspectRating(own(annotations, rule.aspect)) : null;
  if (rule.aggregate === 'overall' || !isObject(annotations)) return overall(item).value;
  const values = Object.keys(annotations).map((k) => aspectRating(annotations[k]));
  if (values.length === 0 || values.some((v) => v === null)) return null;
  const nums = values as number[];
  if (rule.aggregate === 'min') return Math.min(...nums);
  if (rule.aggregate === 'max') return Math.max(...nums);
  return nums.reduce((a, b) => a + b, 0) / nums.length;
}
