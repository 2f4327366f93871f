/**
 * The decide phase of `mix`: from each record's group and token count (nothing else), how many times each
 * record appears in the mixture. Pure and deterministic for a given seed, so one process and a cluster
 * (where the counts are collected by many ranks) reach the same plan.
 */

export type Within = { by: 'random' } | { by: 'longest' } | { by: 'shortest' } | { by: 'field'; field: string };

export interface PlanInput {
  /** Target groups, in the order of the target. */
  groups: string[];
  /** Per group: its share of the total (shares target) ... */
  shares?: number[];
  /** ... or its absolute budget (budgets target). */
  budgets?: number[];
  /** For a shares target: the total to build; default the largest the data allows within maxEpochs. */
  totalTokens?: number;
  maxEpochs: number;
  seed: number;
  within: Within;
  /** Per record, in input order: target group index, or -1 when the record's group is not in the target. */
  group: Int32Array;
  /** Per record: the tokens it counts for. */
  tokens: Float64Array;
  /** Per record, with `within: field`: the field's value (NaN when missing). */
  key?: Float64Array;
  count: number;
}

export interface GroupPlan {
  group: string;
  /** Target share of the total (shares target), or budget / total budget (budgets target). */
  share: number;
  budget: number;
  /** Tokens the group's records hold once. */
  available: number;
  records: number;
  achieved: number;
  /** Records appearing at least once. */
  kept: number;
  /** Extra appearances (copies beyond the first). */
  repeats: number;
  /** Records left out (over_budget). */
  dropped: number;
  /** Appearances per record: how many records appear 1, 2, ... times (index = appearances). */
  epochs: number[];
  /** Within 1% of the budget. */
  met: boolean;
  /** Tokens missing after every record was used maxEpochs times (0 when the budget was reachable). */
  shortfall: number;
}

export interface MixPlan {
  /** Appearances per record (0 = dropped), in input order. */
  times: Uint8Array;
  groups: GroupPlan[];
  totalBudget: number;
  totalAchieved: number;
}

/** A 32-bit mix of (seed, position): a fixed pseudo-random order that does not depend on the other records. */
function rank(seed: number, position: number): number {
  let h = (Math.imul(position ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed | 0, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function orderWithin(members: Uint32Array, input: PlanInput): void {
  const { tokens, key, within, seed } = input;
  const byPosition = (a: number, b: number) => a - b;
  if (within.by === 'random') members.sort((a, b) => rank(seed, a) - rank(seed, b) || byPosition(a, b));
  else if (within.by === 'longest') members.sort((a, b) => tokens[b] - tokens[a] || byPosition(a, b));
  else if (within.by === 'shortest') members.sort((a, b) => tokens[a] - tokens[b] || byPosition(a, b));
  else {
    // Highest value first; records without the field come last, in input order.
    const k = key!;
    const v = (i: number) => (Number.isNaN(k[i]) ? -Infinity : k[i]);
    members.sort((a, b) => v(b) - v(a) || byPosition(a, b));
  }
}

export function planMix(input: PlanInput): MixPlan {
  const n = input.count;
  const g = input.groups.length;
  const available = new Float64Array(g);
  const sizes = new Uint32Array(g);
  for (let i = 0; i < n; i++) {
    const k = input.group[i];
    if (k >= 0) {
      available[k] += input.tokens[i];
      sizes[k]++;
    }
  }

  const budgets = budgetsFor(input, available);
  const totalBudget = budgets.reduce((s, b) => s + b, 0);

  // Members of each group, contiguous: a counting sort by group keeps memory at 4 bytes per record.
  const start = new Uint32Array(g + 1);
  for (let k = 0; k < g; k++) start[k + 1] = start[k] + sizes[k];
  const members = new Uint32Array(start[g]);
  const fill = start.slice(0, g);
  for (let i = 0; i < n; i++) if (input.group[i] >= 0) members[fill[input.group[i]]++] = i;

  const times = new Uint8Array(n);
  const groups: GroupPlan[] = [];
  for (let k = 0; k < g; k++) {
    const slice = members.subarray(start[k], start[k + 1]);
    orderWithin(slice, input);
    const budget = budgets[k];
    const a = available[k];
    // Whole passes over the group first, then one more partial pass choosing records in priority order.
    const full = a > 0 ? Math.min(input.maxEpochs, Math.floor(budget / a)) : 0;
    for (const i of slice) times[i] = full;
    let used = full * a;
    if (full < input.maxEpochs) {
      const want = budget - used;
      let extra = 0;
      for (const i of slice) {
        const t = input.tokens[i];
        // Take a record when it brings the group closer to its budget; smaller records later can fill the gap.
        if (t < 2 * (want - extra)) {
          times[i]++;
          extra += t;
        }
      }
      used += extra;
    }
    const epochs: number[] = new Array(input.maxEpochs + 1).fill(0);
    let kept = 0;
    let repeats = 0;
    for (const i of slice) {
      epochs[times[i]]++;
      if (times[i] > 0) kept++;
      repeats += Math.max(0, times[i] - 1);
    }
    const met = budget === 0 ? used === 0 : Math.abs(used - budget) <= 0.01 * budget;
    groups.push({
      group: input.groups[k],
      share: totalBudget > 0 ? budget / totalBudget : 0,
      budget,
      available: a,
      records: slice.length,
      achieved: used,
      kept,
      repeats,
      dropped: slice.length - kept,
      epochs,
      met,
      shortfall: !met && used < budget && (full === input.maxEpochs || a === 0) ? budget - used : 0,
    });
  }
  return { times, groups, totalBudget, totalAchieved: groups.reduce((s, x) => s + x.achieved, 0) };
}

/** Budgets per group: given, or shares of a total (given, or the largest total every group can fill). */
function budgetsFor(input: PlanInput, available: Float64Array): number[] {
  if (input.budgets) return input.budgets.map((b) => Math.max(0, Math.round(b)));
  const shares = input.shares!;
  let total = input.totalTokens;
  if (total === undefined) {
    // The group that runs out first (available × maxEpochs against its share) sets the total. Groups with no
    // data at all cannot be filled by any total; they are reported as shortfalls instead of zeroing the mix.
    total = Infinity;
    for (let k = 0; k < shares.length; k++) {
      if (shares[k] > 0 && available[k] > 0) total = Math.min(total, (available[k] * input.maxEpochs) / shares[k]);
    }
    if (!Number.isFinite(total)) total = 0;
  }
  return shares.map((s) => Math.round(s * total!));
}
