/**
 * What a mixture aims at: a share of the total per group, or an absolute token budget per group.
 * Group names are compared after folding case and `_`/`-`/spaces, so `tool_use` in the data meets
 * `tool use` in a target. `hermes3` is the published Hermes 3 SFT mixture (src/report/hermes-reference.ts).
 */
import { UsageError } from '../types.js';
import { hermes3Mixture, hermes3CategoryFor } from '../report/hermes-reference.js';

export type MixTarget =
  | { kind: 'shares'; shares: Map<string, number>; label: string }
  | { kind: 'budgets'; budgets: Map<string, number>; label: string };

export const foldGroupName = (name: string): string => name.toLowerCase().replace(/[_\-\s]+/g, ' ').trim();

const COUNT_SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9 };

/** `390M`, `1.5B`, `200k`, `12345` or a number: a whole count of tokens (or pairs). Null when unreadable. */
export function parseCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMbBgG]?)\s*$/.exec(value.replace(/_/g, ''));
  if (!m) return null;
  return Math.round(Number(m[1]) * COUNT_SUFFIX[m[2].toLowerCase()]);
}

/**
 * Read a target as written in a pipeline: `hermes3`, a map of shares that sums to 1, or a map of absolute
 * budgets (`200M`, or numbers above 1). Anything in between is a usage error naming the problem.
 */
export function parseTarget(target: unknown, where: string): MixTarget {
  if (target === 'hermes3') {
    const total = hermes3Mixture.reduce((s, c) => s + c.millions, 0);
    return { kind: 'shares', label: 'hermes3', shares: new Map(hermes3Mixture.map((c) => [foldGroupName(c.category), c.millions / total])) };
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new UsageError(`${where}: target must be hermes3, a map of shares summing to 1, or a map of token budgets`);
  }
  const entries = Object.entries(target as Record<string, unknown>);
  if (!entries.length) throw new UsageError(`${where}: target names no group`);
  const folded = new Map<string, unknown>();
  for (const [k, v] of entries) {
    const key = foldGroupName(k);
    if (folded.has(key)) throw new UsageError(`${where}: target names the group "${key}" twice`);
    folded.set(key, v);
  }
  const allShares = [...folded.values()].every((v) => typeof v === 'number' && v >= 0 && v <= 1);
  if (allShares) {
    const sum = [...folded.values()].reduce((s: number, v) => s + (v as number), 0);
    if (Math.abs(sum - 1) > 1e-6) throw new UsageError(`${where}: target shares sum to ${sum.toFixed(6)}, not 1 (write budgets like 200M for absolute token counts)`);
    return { kind: 'shares', label: 'shares', shares: folded as Map<string, number> };
  }
  const budgets = new Map<string, number>();
  for (const [k, v] of folded) {
    const n = parseCount(v);
    if (n === null) throw new UsageError(`${where}: target.${k} = ${JSON.stringify(v)} is neither a share nor a token budget like 200M`);
    budgets.set(k, n);
  }
  return { kind: 'budgets', label: 'budgets', budgets };
}

/** The target group a data group belongs to; for `hermes3` common aliases (code → coding) are understood too. */
export function targetGroupFor(target: MixTarget, group: string): string | undefined {
  const key = foldGroupName(group);
  const groups = target.kind === 'shares' ? target.shares : target.budgets;
  if (groups.has(key)) return key;
  if (target.label === 'hermes3') {
    const alias = hermes3CategoryFor(group);
    if (alias !== undefined && groups.has(alias)) return alias;
  }
  return undefined;
}
