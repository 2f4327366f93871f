/**
 * The collect and decide phases of `mix`, without the records themselves: per record only its group, its
 * tokens and (for `within: <field>`) one number. Shared by the mix stage and `audit --target`.
 */
import { UsageError } from '../types.js';
import { planMix, type MixPlan, type Within } from './plan.js';
import { parseCount, parseTarget, targetGroupFor, type MixTarget } from './target.js';

export interface MixStageOptions {
  target: unknown;
  total_tokens?: number | string;
  by: string;
  count: MixCount;
  max_epochs: number;
  seed: number;
  within: string;
  others: 'drop' | 'keep';
  strict: boolean;
}

/**
 * What a budget counts: every token (n_tokens), response tokens only, or records (in a preference dataset
 * one record is one pair or one KTO example, so `pairs` is the same unit under its natural name).
 */
export type MixCount = 'all' | 'response' | 'records' | 'pairs';

/** The unit a mix budget counts, in words, for reports. */
export const mixUnit = (count: MixCount): string => (count === 'all' ? 'tokens' : count === 'response' ? 'response tokens' : count);

/**
 * What `mix` needs to know about one output record, whatever its kind: an SFT conversation is one as it
 * is; a preference pair is viewed through `mixItemOf` (src/mix/item.ts).
 */
export interface MixItem {
  category?: string;
  source: string;
  meta?: Record<string, unknown>;
  n_tokens?: number;
  n_response_tokens?: number;
}

export interface MixReport extends Omit<MixPlan, 'times'> {
  target: string;
  by: string;
  count: MixCount;
  max_epochs: number;
  seed: number;
  within: string;
  /** Records whose group is not in the target, and what happened to them. */
  others: { records: number; tokens: number; policy: 'drop' | 'keep'; groups: Record<string, number> };
}

/** Typed arrays that grow by doubling: a few bytes per record, no object per record. */
class Column<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export function groupValue(c: MixItem, by: string): string | undefined {
  if (by === 'category') return c.category;
  if (by === 'source') return c.source;
  const v = c.meta && Object.hasOwn(c.meta, by) ? c.meta[by] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function parseWithin(within: string): Within {
  if (within === 'random' || within === 'longest' || within === 'shortest') return { by: within };
  return { by: 'field', field: within };
}

/**
 * The collect and decide phases without the records: what a `mix` stage (and `audit --target`, which mixes
 * nothing) learns from each record, and the plan made from it. A few typed-array entries per record.
 */
export class MixCollector {
  private readonly target: MixTarget;
  private readonly total: number | undefined;
  private readonly groups: string[];
  private readonly indexOf: Map<string, number>;
  private readonly within: Within;
  readonly group = new Column(new Int32Array(1024));
  private readonly tokens = new Column(new Float64Array(1024));
  private readonly key: Column<Float64Array> | undefined;
  private readonly others: MixReport['others'];

  constructor(private readonly opt: MixStageOptions, private readonly where: string) {
    this.target = parseTarget(opt.target, `${where}.target`);
    const total = opt.total_tokens === undefined ? undefined : parseCount(opt.total_tokens);
    if (total === null) throw new UsageError(`${where}.total_tokens: cannot read ${JSON.stringify(opt.total_tokens)} (try 390M)`);
    if (total !== undefined && this.target.kind === 'budgets') throw new UsageError(`${where}: total_tokens goes with target shares; budgets already fix the total`);
    this.total = total;
    this.groups = [...(this.target.kind === 'shares' ? this.target.shares : this.target.budgets).keys()];
    this.indexOf = new Map(this.groups.map((g, i) => [g, i]));
    this.within = parseWithin(opt.within);
    this.key = this.within.by === 'field' ? new Column(new Float64Array(1024)) : undefined;
    this.others = { records: 0, tokens: 0, policy: opt.others, groups: Object.create(null) };
  }

  /** Note one record (collect). Returns its target group index, -1 when its group is not in the target. */
  add(c: MixItem): number {
    const count = this.opt.count;
    const t = count === 'records' || count === 'pairs' ? 1 : count === 'all' ? c.n_tokens : c.n_response_tokens;
    if (t === undefined) throw new UsageError(`${this.where}: mix needs token counts; put a tokenize stage before it`);
    const name = groupValue(c, this.opt.by);
    const targetGroup = name === undefined ? undefined : targetGroupFor(this.target, name);
    const k = targetGroup === undefined ? -1 : this.indexOf.get(targetGroup)!;
    if (k < 0) {
      const label = name ?? '(none)';
      this.others.records++;
      this.others.tokens += t;
      this.others.groups[label] = (this.others.groups[label] ?? 0) + 1;
    }
    this.group.push(k);
    this.tokens.push(t);
    if (this.key && this.within.by === 'field') {
      const field = this.within.field;
      const v = c.meta && Object.hasOwn(c.meta, field) ? Number(c.meta[field]) : NaN;
      this.key.push(Number.isFinite(v) ? v : NaN);
    }
    return k;
  }

  /** The decision (decide), and its report. */
  decide(): { plan: MixPlan; report: MixReport } {
    const t = this.target;
    const plan = planMix({
      groups: this.groups,
      shares: t.kind === 'shares' ? this.groups.map((g) => t.shares.get(g)!) : undefined,
      budgets: t.kind === 'budgets' ? this.groups.map((g) => t.budgets.get(g)!) : undefined,
      totalTokens: this.total,
      maxEpochs: this.opt.max_epochs,
      seed: this.opt.seed,
      within: this.within,
      group: this.group.data,
      tokens: this.tokens.data,
      key: this.key?.data,
      count: this.group.length,
    });
    const { times: _times, ...books } = plan;
    const o = this.opt;
    return { plan, report: { ...books, target: t.label, by: o.by, count: o.count, max_epochs: o.max_epochs, seed: o.seed, within: o.within, others: this.others } };
  }
}

