import type { PairStats } from '../pairs/stats.js';
import { escapeHtml as esc, escapeMarkdownCell as cell, formatInt, formatPercent } from './format.js';
import { table } from './audit-markdown.js';
import { horizontalBarsSvg, type BarRow } from './svg-bars.js';

/** The preference (DPO) datasets of a run, shown beside the SFT audit. */
export interface PairsReport {
  dataset: string;
  stats: PairStats;
}

const marginLabel = (b: { min: number; max: number }) => `[${b.min}, ${b.max})`;

/**
 * The DPO part of the audit: pairs per source, the margin histogram, and the length bias (DPO learns
 * "longer is better" when chosen is usually the longer side), with prompt token totals.
 */
export function pairsHtml(reports: PairsReport[]): string {
  const out: string[] = [];
  for (const { dataset, stats } of reports) {
    const b = stats.length_bias;
    out.push(
      `<h2>Preference pairs · ${esc(dataset)}</h2>`,
      '<div class="cards">',
      card('Pairs', formatInt(stats.pairs), `${formatInt(stats.unpaired)} unpaired (KTO)`),
      card('Chosen longer', formatPercent(b.chosen_longer_share), `of pairs, by ${esc(b.unit)}`),
      card('Median length ratio', b.median_length_ratio.toFixed(2), 'chosen / rejected'),
      card('Prompt tokens', formatInt(stats.tokens.prompt), `chosen ${formatInt(stats.tokens.chosen)} · rejected ${formatInt(stats.tokens.rejected)}`),
      '</div>',
      figure(
        horizontalBarsSvg({
          id: `chart-pairs-source-${slug(dataset)}`,
          title: 'Pairs by source',
          axisLabel: 'pairs',
          rows: Object.entries(stats.by_source).map(([source, n]): BarRow => ({
            label: source,
            segments: [{ value: n, className: 'seg-share', tooltip: `${source}: ${formatInt(n)} records` }],
            valueLabel: formatInt(n),
          })),
          legend: [{ className: 'seg-share', label: 'pairs and unpaired records' }],
          formatTick: (n) => formatInt(n),
        }),
      ),
      figure(
        horizontalBarsSvg({
          id: `chart-pairs-margin-${slug(dataset)}`,
          title: 'Score margin of pairs',
          axisLabel: 'pairs',
          rows: stats.margin_histogram.map((m): BarRow => ({
            label: `margin ${marginLabel(m)}`,
            segments: [{ value: m.pairs, className: 'seg-response', tooltip: `${marginLabel(m)}: ${formatInt(m.pairs)} pairs` }],
            valueLabel: formatInt(m.pairs),
          })),
          legend: [{ className: 'seg-response', label: 'pairs' }],
          formatTick: (n) => formatInt(n),
        }),
        `${formatInt(stats.unscored)} pairs have no scores (explicit chosen/rejected data).`,
      ),
    );
  }
  return out.join('\n');
}

export function pairsMarkdown(reports: PairsReport[]): string {
  const out: string[] = [];
  for (const { dataset, stats } of reports) {
    const b = stats.length_bias;
    out.push(
      `### Preference pairs · ${cell(dataset)}`,
      '',
      `${formatInt(stats.pairs)} pairs, ${formatInt(stats.unpaired)} unpaired. Chosen is longer in ${formatPercent(b.chosen_longer_share)} of pairs ` +
        `(median chosen/rejected length ratio ${b.median_length_ratio.toFixed(2)}, in ${b.unit}). ` +
        `Tokens: prompt ${formatInt(stats.tokens.prompt)}, chosen ${formatInt(stats.tokens.chosen)}, rejected ${formatInt(stats.tokens.rejected)}.`,
      '',
      table(['Source', 'Records'], Object.entries(stats.by_source).map(([s, n]) => [cell(s), formatInt(n)]), ['left', 'right']),
      '',
      table(['Margin', 'Pairs'], stats.margin_histogram.map((m) => [marginLabel(m), formatInt(m.pairs)]), ['left', 'right']),
      '',
    );
  }
  return out.join('\n');
}

const card = (k: string, v: string, s = '') => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="s">${s}</div></div>`;
const figure = (svg: string, caption = '') => `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
