/**
 * The mixture section of audit.html / audit.md: per target group, the share it had before mixing, its target
 * share and the share the mix built (or, for `audit --target`, would build), side by side, with the budget,
 * the records kept, repeated and left out. The numbers come from a MixReport, the same object written to
 * `{dataset}.mix.json` / `mix-plan.json`.
 */
import type { MixReport } from '../mix/collect.js';
import { mixUnit } from '../mix/collect.js';
import { wrap } from './audit-html-tables.js';
import { escapeHtml as esc, escapeMarkdownCell as cell, formatInt, formatPercent } from './format.js';
import { horizontalBarsSvg, type BarRow } from './svg-bars.js';

export interface MixSection {
  /** The pipeline dataset the mix belongs to; none for `audit --target`. */
  dataset?: string;
  report: MixReport;
  /** true for `audit --target`: nothing was mixed, the numbers say what a mix would do. */
  dryRun: boolean;
}

interface GroupView {
  group: string;
  now: number;
  target: number;
  built: number;
  budget: string;
  builtAmount: string;
  records: string;
  repeats: string;
  dropped: string;
  verdict: string;
}

function groupViews(r: MixReport): GroupView[] {
  const available = r.groups.reduce((s, g) => s + g.available, 0) + r.others.tokens;
  return r.groups.map((g) => ({
    group: g.group,
    now: available ? g.available / available : 0,
    target: g.share,
    built: r.totalAchieved ? g.achieved / r.totalAchieved : 0,
    budget: formatInt(g.budget),
    builtAmount: formatInt(Math.round(g.achieved)),
    records: `${formatInt(g.kept)} of ${formatInt(g.records)}`,
    repeats: formatInt(g.repeats),
    dropped: formatInt(g.dropped),
    verdict: g.met ? 'yes' : g.shortfall > 0 ? `no: short by ${formatInt(Math.round(g.shortfall))}` : 'no: as close as whole records allow',
  }));
}

/** The section title; `escape` protects the user-given names (target, dataset) for the output format. */
function heading(s: MixSection, escape: (t: string) => string): string {
  const title = s.dryRun ? `Mixture plan against ${escape(s.report.target)} (dry run)` : `Mixture built to ${escape(s.report.target)}`;
  return s.dataset ? `${title} · ${escape(s.dataset)}` : title;
}

function summary(s: MixSection): string {
  const r = s.report;
  const unit = mixUnit(r.count);
  const off = r.totalBudget ? `${(((r.totalAchieved - r.totalBudget) / r.totalBudget) * 100).toFixed(2)}%` : '–';
  const verb = s.dryRun ? 'a mix would build' : 'built';
  const others = r.others.records
    ? ` ${formatInt(r.others.records)} records (${formatInt(r.others.tokens)} ${unit}) in groups outside the target (${Object.keys(r.others.groups).join(', ')}) ${s.dryRun ? 'would be' : 'were'} ${r.others.policy === 'drop' ? 'left out (not_in_target)' : 'kept as they are'}.`
    : '';
  return (
    `Grouped by ${r.by}, counting ${unit}, each record used at most ${r.max_epochs} times, seed ${r.seed}, records chosen by ${r.within} when a group is cut. ` +
    `Budget ${formatInt(r.totalBudget)} ${unit}; ${verb} ${formatInt(Math.round(r.totalAchieved))} (${off} off).${others}`
  );
}

const HEAD = ['Group', 'Share before', 'Target share', 'Built share', 'Budget', 'Built', 'Records kept', 'Repeats', 'Left out', 'Within 1%'];

/** One section per mix: a side-by-side bar chart (target vs built, with the pre-mix share as a tick) and a table. */
export function mixHtml(sections: MixSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    const views = groupViews(s.report);
    const builtLabel = s.dryRun ? 'a mix would build' : 'built';
    const rows = views.flatMap((v): BarRow[] => [
      {
        label: `${v.group} · target`,
        segments: [{ value: v.target * 100, className: 'seg-target', tooltip: `${v.group}: target ${formatPercent(v.target)}` }],
        valueLabel: formatPercent(v.target),
      },
      {
        label: `${v.group} · ${s.dryRun ? 'plan' : 'built'}`,
        segments: [{ value: v.built * 100, className: 'seg-built', tooltip: `${v.group}: ${builtLabel} ${formatPercent(v.built)}` }],
        valueLabel: formatPercent(v.built),
        marker: { value: v.now * 100, tooltip: `${v.group}: ${formatPercent(v.now)} before mixing` },
      },
    ]);
    const slug = (s.dataset ?? 'input').replace(/[^A-Za-z0-9_-]/g, '_');
    out.push(
      `<h2>${heading(s, esc)}</h2>`,
      `<p>${esc(summary(s))}</p>`,
      `<figure>${horizontalBarsSvg({
        id: `chart-mix-${slug}`,
        title: `Target vs ${builtLabel}, share of ${mixUnit(s.report.count)} by ${s.report.by}`,
        axisLabel: `% of ${mixUnit(s.report.count)}`,
        rows,
        legend: [
          { className: 'seg-target', label: 'target' },
          { className: 'seg-built', label: builtLabel },
          { className: 'ref-mark', label: 'before mixing', kind: 'marker' },
        ],
        formatTick: (n) => `${n}%`,
      })}<figcaption>${esc(`Each group's share of the mixture: its target and what the mix ${s.dryRun ? 'would build' : 'built'}; the tick marks its share of the data before mixing.`)}</figcaption></figure>`,
      wrap({
        head: HEAD,
        body: views.map((v) => `<tr>${[esc(v.group), formatPercent(v.now), formatPercent(v.target), formatPercent(v.built), v.budget, v.builtAmount, v.records, v.repeats, v.dropped, esc(v.verdict)].map((c) => `<td>${c}</td>`).join('')}</tr>`),
        foot: '',
      }),
    );
  }
  return out.join('\n');
}

export function mixMarkdown(sections: MixSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(
      `### ${heading(s, cell)}`,
      '',
      summary(s),
      '',
      `| ${HEAD.join(' | ')} |`,
      `|---|${HEAD.slice(1, -1).map(() => '---:').join('|')}|---|`,
      ...groupViews(s.report).map((v) => `| ${[cell(v.group), formatPercent(v.now), formatPercent(v.target), formatPercent(v.built), v.budget, v.builtAmount, v.records, v.repeats, v.dropped, v.verdict].join(' | ')} |`),
      '',
    );
  }
  return out.join('\n');
}
