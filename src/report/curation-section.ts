import type { CurationStageReport, Counts, CurationExample } from '../checks/curation-log.js';
import { escapeHtml as esc, escapeMarkdownCell as cell, formatInt } from './format.js';

/**
 * The audit's Curation section: per curation stage, what it removed, rejected and flagged, by source file and by
 * category, a few examples with their ids and evidence (similarity, overlap, benchmark item, phrase, pointer),
 * and the thresholds it ran with. Every string from the data is escaped.
 */
const settingText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const evidenceText = (e: CurationExample): string =>
  Object.entries(e.evidence)
    .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
    .join(', ');
const countRows = (by: Record<string, Counts>) =>
  Object.entries(by)
    .sort((a, b) => b[1].removed + b[1].rejected + b[1].flagged - (a[1].removed + a[1].rejected + a[1].flagged) || (a[0] < b[0] ? -1 : 1))
    .map(([name, c]) => [name, formatInt(c.removed), formatInt(c.rejected), formatInt(c.flagged)]);
// Reason codes come from chatmill's stages, never from the data, so the summary needs no escaping.
const summary = (r: CurationStageReport, code: (s: string) => string) =>
  `${formatInt(r.records)} records checked: ${formatInt(r.removed)} removed, ${formatInt(r.rejected)} rejected, ${formatInt(r.flagged)} flagged` +
  (Object.keys(r.byReason).length ? ` (${Object.entries(r.byReason).map(([k, n]) => `${code(k)} ${formatInt(n)}`).join(', ')})` : '');

export function curationMarkdown(stages: CurationStageReport[]): string {
  const out = ['### Curation', ''];
  for (const r of stages) {
    const settings = Object.entries(r.settings).map(([k, v]) => `\`${k}: ${settingText(v).replace(/`/g, "'")}\``).join(', ');
    out.push(`#### \`${r.stage}\``, '', `${summary(r, (k) => `\`${k}\``)}.`, '', `Settings: ${settings || 'defaults'}.`, '');
    if (r.removed + r.rejected + r.flagged === 0) continue;
    for (const [title, by] of [['Source', r.bySource], ['Category', r.byCategory]] as const) {
      out.push(mdTable([title, 'Removed', 'Rejected', 'Flagged'], countRows(by).map(([n, ...c]) => [cell(n), ...c]), true), '');
    }
    // The record's place comes first: the first column may wrap anywhere (long paths), an id must not.
    out.push(mdTable(['Record', 'Id', 'Reason', 'Evidence'], r.examples.map((e) => [cell(`${e.source}[${e.index}]`), cell(e.id ?? '—'), cell(`${e.reason} (${e.outcome})`), cell(evidenceText(e))])), '');
  }
  return out.join('\n');
}

/** A GFM table; with `numbers`, every column after the first is right-aligned. */
function mdTable(headers: string[], rows: string[][], numbers = false): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (numbers && i > 0 ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

export function curationHtml(stages: CurationStageReport[]): string {
  const out = ['<h2 id="curation">Curation</h2>'];
  for (const r of stages) {
    const settings = Object.entries(r.settings).map(([k, v]) => `<code>${esc(k)}: ${esc(settingText(v))}</code>`).join(' ');
    out.push(`<h3>${esc(r.stage)}</h3>`, `<p>${summary(r, (k) => `<code>${esc(k)}</code>`)}.</p>`, `<p class="note">Settings: ${settings || 'defaults'}</p>`);
    if (r.removed + r.rejected + r.flagged === 0) continue;
    for (const [title, by] of [['Source', r.bySource], ['Category', r.byCategory]] as const) out.push(htmlTable([title, 'Removed', 'Rejected', 'Flagged'], countRows(by)));
    out.push(htmlTable(['Record', 'Id', 'Reason', 'Evidence'], r.examples.map((e) => [`${e.source}[${e.index}]`, e.id ?? '—', `${e.reason} (${e.outcome})`, evidenceText(e)])));
  }
  return out.join('\n');
}

function htmlTable(head: string[], rows: string[][]): string {
  const thead = `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<div class="table-wrap"><table>${thead}${tbody}</table></div>`;
}
