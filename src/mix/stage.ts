/**
 * The `mix` stage: build the mixture to a token budget per group, in three phases (../shared/DESIGN.md):
 * - collect: every kept record goes to a spill file on disk; memory keeps only its group, tokens and, for
 *   `within: <field>`, one number (about 20 bytes a record);
 * - decide: `planMix` chooses how many times each record appears;
 * - apply: the spill is read back in input order and each record is emitted that many times (copies carry
 *   `repeat: k`), or dropped as `over_budget` / `not_in_target` with the numbers that decided it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../outputs/atomic.js';
import type { Stage } from '../types.js';
import { drop, keep } from '../types.js';
import { groupValue, MixCollector, type MixReport, type MixStageOptions } from './collect.js';
import { mixItemOf, type Mixable } from './item.js';
import { readSpill, SpillWriter } from './spill.js';

export type { MixReport, MixStageOptions } from './collect.js';

export function mixStage(o: {
  options: MixStageOptions;
  where: string;
  /** Where the decision is written as JSON (target vs achieved per group), once it is made. */
  reportPath?: string;
  onReport?: (r: MixReport) => void;
}): Stage<Mixable, Mixable> {
  const opt = o.options;
  // Built once here so a bad target fails when the pipeline is loaded, before any data moves.
  new MixCollector(opt, o.where);

  return {
    name: 'mix',
    async *run(input, ctx) {
      const dir = await mkdtemp(join(tmpdir(), 'chatmill-mix-'));
      try {
        // collect
        const spillPath = join(dir, 'records.spill');
        const spill = new SpillWriter<Mixable>(spillPath);
        const collector = new MixCollector(opt, o.where);
        for await (const item of input) {
          collector.add(mixItemOf(item.value));
          await spill.write(item);
        }
        await spill.close();

        // decide
        const { plan, report } = collector.decide();
        const { times } = plan;
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
        let i = 0;
        const warned = new Set<number>();
        for await (const item of readSpill<Mixable>(spillPath)) {
          const k = collector.group.data[i];
          const n = times[i];
          i++;
          if (k < 0) {
            if (opt.others === 'keep') yield keep(item.ref, item.value, item.raw);
            else yield drop(item.ref, 'not_in_target', `group ${JSON.stringify(groupValue(mixItemOf(item.value), opt.by) ?? '(none)')} is not in the mix target`, { id: item.value.id });
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
        if (i !== collector.group.length) throw new Error(`mix: the spill file gave back ${i} of ${collector.group.length} records`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
