import type { Audit } from '../../schemas/audit.js';
import { describeTemplate } from '../tokens/template-name.js';
import { auditCss } from './audit-html-style.js';
import { bucketTableHtml, histogramTableHtml } from './audit-html-tables.js';
import { bucketRows, type BucketRow } from './audit-rows.js';
import { escapeHtml as esc, formatCompact, formatInt, formatPercent, ratio } from './format.js';
import { hermes3ResponseShare } from './hermes-reference.js';
import { horizontalBarsSvg, type BarRow, type LegendItem } from './svg-bars.js';
import { responseGaugeSvg } from './svg-gauge.js';
import { histogramSvg } from './svg-histogram.js';
import { pairsHtml, type PairsReport } from './pairs-section.js';
import { mixHtml, type MixSection } from './mix-section.js';
import { curationHtml } from './curation-section.js';
import type { CurationStageReport } from '../checks/curation-log.js';

export interface AuditHtmlOptions {
  audit: Audit;
  targetResponseShare: number;
  maxLength: number;
  title?: string;
  /** Preference datasets of the same run, shown after the SFT audit. */
  pairs?: PairsReport[];
  /** Mix stages of the run (or an `audit --target` plan): target vs built per group. */
  mixes?: MixSection[];
  /** What the dataset's curation stages removed, rejected and flagged. */
  curation?: CurationStageReport[];
}

/** Charts show at most this many bars; the rest is summed into one "other" bar (tables list everything). */
const maxBars = 20;

/**
 * audit.html: one self-contained page (inline CSS, inline SVG, no script, no external resource).
 * A Content-Security-Policy forbids scripts and fetches, as a second guard behind escaping.
 */
export function auditHtml(options: AuditHtmlOptions): string {
  const { audit, targetResponseShare: target, maxLength } = options;
  const title = options.title ?? 'Dataset audit';
  const categories = bucketRows({ audit, by: 'category' });
  const sources = bucketRows({ audit, by: 'source' });
  const card = (k: string, v: string, s = '') => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div><div class="s">${s}</div></div>`;
  const diffPts = (audit.response_share - target) * 100;

  const sections = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">Tokenizer <b>${esc(audit.tokenizer.name)}</b> (vocab ${formatInt(audit.tokenizer.vocab_size)}, sha256 ${esc(audit.tokenizer.sha256.slice(0, 12))}…) · template <b>${esc(audit.template)}</b>: ${esc(describeTemplate(audit.template).replace(/`/g, ''))}</p>`,
    '<div class="cards">',
    card('Records', formatInt(audit.records)),
    card('Tokens', formatCompact(audit.tokens), formatInt(audit.tokens)),
    card('Instruction', formatCompact(audit.instruction_tokens), formatPercent(ratio(audit.instruction_tokens, audit.tokens))),
    card('Response', formatCompact(audit.response_tokens), formatPercent(ratio(audit.response_tokens, audit.tokens))),
    card('Response share', formatPercent(audit.response_share), `target ${formatPercent(target)} (${diffPts >= 0 ? '+' : '−'}${Math.abs(diffPts).toFixed(1)} pts)`),
    card('Packing', formatPercent(audit.packing.efficiency), `${formatInt(audit.packing.packs)} packs × ${formatInt(audit.packing.seq_len)}`),
    card('Over max length', formatInt(audit.over_max_length), `> ${formatInt(maxLength)} tokens`),
    '</div>',
    '<h2>Response share vs target</h2>',
    figure(
      responseGaugeSvg({ id: 'chart-response-share', title: 'Response share vs target', actual: audit.response_share, target }),
      `Share of response (trained-on) tokens among instruction + response tokens. Hermes 3 reported ${formatPercent(hermes3ResponseShare, 0)}.`,
    ),
    '<h2>Instruction vs response tokens by category</h2>',
    figure(
      horizontalBarsSvg({
        id: 'chart-instruction-response',
        title: 'Instruction vs response tokens by category',
        axisLabel: 'tokens',
        rows: capRows(categories, 'categories').map(instructionResponseRow),
        legend: [
          { className: 'seg-instruction', label: 'instruction' },
          { className: 'seg-response', label: 'response' },
        ],
        formatTick: formatCompact,
      }),
    ),
    ...(options.mixes?.length ? [mixHtml(options.mixes)] : []),
    '<h2>Token mixture</h2>',
    figure(mixtureSvg({ id: 'chart-mixture-category', title: 'Share of tokens by category', rows: categories, noun: 'categories', hermes: true }), 'Black ticks: share of the same category in the Hermes 3 SFT mixture.'),
    figure(mixtureSvg({ id: 'chart-mixture-source', title: 'Share of tokens by source', rows: sources, noun: 'sources', hermes: false })),
    '<h2>Length distribution</h2>',
    figure(histogramSvg({ id: 'chart-length-histogram', title: 'Records by length in tokens', bins: audit.length_histogram, maxLength }), `${formatInt(audit.over_max_length)} records exceed the max length of ${formatInt(maxLength)} tokens.`),
    '<h2>By category</h2>',
    bucketTableHtml({ rows: categories, first: 'Category', audit, hermes: true }),
    '<p class="note">Hermes 3 ref.: share of tokens of the category with the same name in the published Hermes 3 SFT mixture (≈393M tokens).</p>',
    '<h2>By source</h2>',
    bucketTableHtml({ rows: sources, first: 'Source', audit, hermes: false }),
    '<h2>Length histogram</h2>',
    histogramTableHtml({ audit, maxLength }),
    ...(options.curation?.length ? [curationHtml(options.curation)] : []),
    ...(options.pairs?.length ? [pairsHtml(options.pairs)] : []),
  ];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${auditCss}</style>`,
    '</head><body><main>',
    ...sections,
    '</main></body></html>',
    '',
  ].join('\n');
}

function figure(svg: string, caption = ''): string {
  return `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

function instructionResponseRow(r: BucketRow): BarRow {
  return {
    label: r.name,
    segments: [
      { value: r.instruction, className: 'seg-instruction', tooltip: `${r.name}: ${formatInt(r.instruction)} instruction tokens` },
      { value: r.response, className: 'seg-response', tooltip: `${r.name}: ${formatInt(r.response)} response tokens` },
    ],
    valueLabel: `${formatCompact(r.instruction + r.response)} · ${formatPercent(r.responseShare, 0)} resp.`,
  };
}

function mixtureSvg(options: { id: string; title: string; rows: BucketRow[]; noun: string; hermes: boolean }): string {
  const { id, title, rows, noun, hermes } = options;
  const bars = capRows(rows, noun).map((r): BarRow => {
    const bar: BarRow = {
      label: r.name,
      segments: [{ value: r.shareOfTotal * 100, className: 'seg-share', tooltip: `${r.name}: ${formatInt(r.tokens)} tokens, ${formatPercent(r.shareOfTotal)}` }],
      valueLabel: `${formatPercent(r.shareOfTotal)} · ${formatCompact(r.tokens)}`,
    };
    if (hermes && r.hermes3Share !== undefined) bar.marker = { value: r.hermes3Share * 100, tooltip: `Hermes 3: ${formatPercent(r.hermes3Share)}` };
    return bar;
  });
  const legend: LegendItem[] = [{ className: 'seg-share', label: 'share of all tokens' }];
  if (hermes) legend.push({ className: 'ref-mark', label: 'Hermes 3 share', kind: 'marker' });
  const truncate = hermes ? 'right' : 'left';
  return horizontalBarsSvg({ id, title, axisLabel: 'share of tokens (%)', rows: bars, legend, formatTick: (n) => `${n}%`, truncate });
}

/** Keep the largest `maxBars - 1` rows and fold the rest into one "other" row. */
function capRows(rows: BucketRow[], noun: string): BucketRow[] {
  if (rows.length <= maxBars) return rows;
  const kept = rows.slice(0, maxBars - 1);
  const rest = rows.slice(maxBars - 1);
  const add = (f: (r: BucketRow) => number) => rest.reduce((s, r) => s + f(r), 0);
  const instruction = add((r) => r.instruction);
  const response = add((r) => r.response);
  const other: BucketRow = {
    name: `other (${rest.length} ${noun})`,
    records: add((r) => r.records),
    tokens: add((r) => r.tokens),
    instruction,
    response,
    responseShare: ratio(response, instruction + response),
    shareOfTotal: add((r) => r.shareOfTotal),
  };
  return [...kept, other];
}
