/**
 * `chatmill audit --target`: what a `mix` stage would do to these records, without mixing. The collect and
 * decide phases run as in the stage (MixCollector); nothing is dropped or repeated, the plan is only reported.
 */
import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { tapStage } from '../stage.js';
import { textTable } from '../report/text-table.js';
import { MixCollector, mixUnit, type MixReport, type MixStageOptions } from './collect.js';
import { parseCount } from './target.js';

/** `hermes3`, or `group=share,...` (shares summing to 1), or `group=200M,...` (budgets): a mix target from the command line. */
export function targetFromFlag(flag: string): unknown {
  if (flag === 'hermes3') return flag;
  const target: Record<string, number | string> = Object.create(null);
  for (const part of flag.split(',')) {
    const m = /^\s*([^=]+?)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new UsageError(`--target: expected hermes3 or group=share,... / group=budget,..., got ${JSON.stringify(part)}`);
    const share = Number(m[2]);
    target[m[1]] = Number.isFinite(share) && share <= 1 ? share : m[2];
    if (parseCount(target[m[1]]) === null && !(typeof target[m[1]] === 'number')) throw new UsageError(`--target: ${m[1]}=${m[2]} is neither a share nor a budget like 200M`);
  }
  return { ...target };
}

export function mixDryRun(options: MixStageOptions): { stage: Stage<Conversation, Conversation>; report(): MixReport } {
  const collector = new MixCollector(options, '--target');
  return {
    stage: tapStage<Conversation>('mix-plan', (item) => void collector.add(item.value)),
    report: () => collector.decide().report,
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The plan as a terminal table: per group, the share now, the target, and what a mix would keep, repeat and drop. */
export function mixPlanTable(r: MixReport): string {
  const available = r.groups.reduce((s, g) => s + g.available, 0) + r.others.tokens;
  const rows = r.groups.map((g) => [
    g.group,
    available ? pct(g.available / available) : '–',
    pct(g.share),
    n(g.available),
    n(g.budget),
    `${n(g.kept)} of ${n(g.records)}`,
    n(g.repeats),
    n(g.dropped),
    g.shortfall > 0 ? `short by ${n(g.shortfall)}` : g.met ? 'yes' : 'no',
  ]);
  const table = textTable({
    columns: [
      { header: 'group' },
      { header: 'share now', align: 'right' },
      { header: 'target', align: 'right' },
      { header: 'tokens now', align: 'right' },
      { header: 'budget', align: 'right' },
      { header: 'records kept', align: 'right' },
      { header: 'repeats', align: 'right' },
      { header: 'dropped', align: 'right' },
      { header: 'within 1%' },
    ],
    rows,
    footer: [['total', '', '', n(available), n(r.totalBudget), '', '', '', '']],
  });
  const others = r.others.records
    ? `\n${n(r.others.records)} records (${n(r.others.tokens)} tokens) in groups outside the target (${Object.keys(r.others.groups).join(', ')}) would be ${r.others.policy === 'drop' ? 'dropped (not_in_target)' : 'kept as they are'}.`
    : '';
  return `mix plan against ${r.target} (by ${r.by}, counting ${mixUnit(r.count)}, at most ${r.max_epochs} appearances per record): nothing was mixed\n${table}${others}`;
}
