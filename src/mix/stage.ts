/**
 * The `mix` stage: build the mixture to a token budget per group, in three phases (../shared/DESIGN.md):
 * - collect: every kept record goes to a spill file on disk; memory keeps only its group, tokens and, for
 *   `within: <field>`, one number (about 20 bytes a record);
 * - decide: `planMix` chooses how many times each record appears;
 * - apply: the spill is read back in input order and each record is emitted that many times (copies carry
 *   `repeat: k`), or dropped as `over_budget` / `not_in_target` with the numbers that decided it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conversation } from '../../schemas/chatml.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { Keep, Stage } from '../types.js';
import { drop, keep, UsageError } from '../types.js';
import { planMix, type MixPlan, type Within } from './plan.js';
import { parseCount, parseTarget, targetGroupFor, type MixTarget } from './target.js';

export interface MixStageOptions {
  target: unknown;
  total_tokens?: number | string;
  by: string;
  count: 'all' | 'response';
  max_epochs: number;
  seed: number;
  within: string;
  others: 'drop' | 'keep';
  strict: boolean;
}

export interface MixReport extends Omit<MixPlan, 'times'> {
  target: string;
  by: string;
  count: 'all' | 'response';
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

function groupValue(c: Conversation, by: string): string | undefined {
  if (by === 'category') return c.category;
  if (by === 'source') return c.source;
  const v = c.meta && Object.hasOwn(c.meta, by) ? c.meta[by] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** The spill file's lines, split on bytes (readline is slow with long lines, and the spill is our own plain JSONL). */
async function* spillLines(path: string): AsyncGenerator<string> {
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      yield (rest ? Buffer.concat([rest, piece]) : piece).toString('utf8');
      rest = undefined;
      start = nl + 1;
    }
    if (start < chunk.length) rest = rest ? Buffer.concat([rest, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
  }
  if (rest?.length) yield rest.toString('utf8');
}

function parseWithin(within: string): Within {
  if (within === 'random' || within === 'longest' || within === 'shortest') return { by: within };
  return { by: 'field', field: within };
}

export function mixStage(o: {
  options: MixStageOptions;
  where: string;
  /** Where the decision is written as JSON (target vs achieved per group), once it is made. */
  reportPath?: string;
  onReport?: (r: MixReport) => void;
}): Stage<Conversation, Conversation> {
  const opt = o.options;
  const target: MixTarget = parseTarget(opt.target, `${o.where}.target`);
  const total = opt.total_tokens === undefined ? undefined : parseCount(opt.total_tokens);
  if (total === null) throw new UsageError(`${o.where}.total_tokens: cannot read ${JSON.stringify(opt.total_tokens)} (try 390M)`);
  if (total !== undefined && target.kind === 'budgets') throw new UsageError(`${o.where}: total_tokens goes with target shares; budgets already fix the total`);
  const groups = [...(target.kind === 'shares' ? target.shares : target.budgets).keys()];
  const indexOf = new Map(groups.map((g, i) => [g, i]));
  const within = parseWithin(opt.within);

  return {
    name: 'mix',
    async *run(input, ctx) {
      const dir = await mkdtemp(join(tmpdir(), 'chatmill-mix-'));
      try {
        // collect
        const spillPath = join(dir, 'records.jsonl');
        // Large buffers: with the 16 KB default, every few records wait for a write round trip to the disk.
        const spill = createWriteStream(spillPath, { highWaterMark: 8 << 20 });
        const group = new Column(new Int32Array(1024));
        const tokens = new Column(new Float64Array(1024));
        const key = within.by === 'field' ? new Column(new Float64Array(1024)) : undefined;
        const others: MixReport['others'] = { records: 0, tokens: 0, policy: opt.others, groups: Object.create(null) };
        for await (const item of input) {
          const c = item.value;
          const t = opt.count === 'all' ? c.n_tokens : c.n_response_tokens;
          if (t === undefined) throw new UsageError(`${o.where}: mix needs token counts; put a tokenize stage before it`);
          const name = groupValue(c, opt.by);
          const targetGroup = name === undefined ? undefined : targetGroupFor(target, name);
          const k = targetGroup === undefined ? -1 : indexOf.get(targetGroup)!;
          if (k < 0) {
            const label = name ?? '(none)';
            others.records++;
            others.tokens += t;
            others.groups[label] = (others.groups[label] ?? 0) + 1;
          }
          group.push(k);
          tokens.push(t);
          if (key && within.by === 'field') {
            const v = c.meta && Object.hasOwn(c.meta, within.field) ? Number(c.meta[within.field]) : NaN;
            key.push(Number.isFinite(v) ? v : NaN);
          }
          if (!spill.write(`${JSON.stringify({ ref: item.ref, raw: item.raw, value: c })}\n`)) await once(spill, 'drain');
        }
        await new Promise<void>((resolve, reject) => spill.end((err?: Error | null) => (err ? reject(err) : resolve())));

        // decide
        const plan = planMix({
          groups,
          shares: target.kind === 'shares' ? groups.map((g) => target.shares.get(g)!) : undefined,
          budgets: target.kind === 'budgets' ? groups.map((g) => target.budgets.get(g)!) : undefined,
          totalTokens: total,
          maxEpochs: opt.max_epochs,
          seed: opt.seed,
          within,
          group: group.data,
          tokens: tokens.data,
          key: key?.data,
          count: group.length,
        });
        const { times, ...books } = plan;
        const report: MixReport = { ...books, target: target.label, by: opt.by, count: opt.count, max_epochs: opt.max_epochs, seed: opt.seed, within: opt.within, others };
        o.onReport?.(report);
        if (o.reportPath) await writeFileAtomic(o.reportPath, `${JSON.stringify(report, null, 2)}\n`);
        const short = plan.groups.filter((g) => g.shortfall > 0);
        if (opt.strict && short.length) {
          throw new Error(
            `${o.where}: mix cannot reach its budget (strict): ` +
              short.map((g) => `${g.group} has ${Math.round(g.achieved)} of ${g.budget} tokens (short by ${Math.round(g.shortfall)})`).join('; '),
          );
        }

        // apply
        const lines = spillLines(spillPath);
        let i = 0;
        const warned = new Set<number>();
        for await (const line of lines) {
          const item = JSON.parse(line) as Keep<Conversation>;
          const k = group.data[i];
          const n = times[i];
          i++;
          if (k < 0) {
            if (opt.others === 'keep') yield keep(item.ref, item.value, item.raw);
            else yield drop(item.ref, 'not_in_target', `group ${JSON.stringify(groupValue(item.value, opt.by) ?? '(none)')} is not in the mix target`, { id: item.value.id });
            continue;
          }
          const g = plan.groups[k];
          if (g.shortfall > 0 && !warned.has(k)) {
            warned.add(k);
            ctx.warn('mix_shortfall', item.ref);
          }
          if (n === 0) {
            yield drop(item.ref, 'over_budget', `group ${g.group}: budget ${g.budget} tokens, used ${Math.round(g.achieved)}`, {
              id: item.value.id,
              detail: { group: g.group, budget: g.budget, used: Math.round(g.achieved) },
            });
            continue;
          }
          yield keep(item.ref, item.value, item.raw);
          for (let r = 1; r < n; r++) yield keep(item.ref, { ...item.value, repeat: r }, item.raw);
        }
        if (i !== group.length) throw new Error(`mix: the spill file gave back ${i} of ${group.length} records`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
