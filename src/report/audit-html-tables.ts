import type { Audit } from '../../schemas/audit.js';
import { binLabel, bucketNumbers, totalNumbers, type BucketRow } from './audit-rows.js';
import { escapeHtml as esc, formatInt, formatPercent, ratio } from './format.js';

/** The by-category / by-source table; every data string is escaped. */
export function bucketTableHtml(options: { rows: BucketRow[]; first: string; audit: Audit; hermes: boolean }): string {
  const { rows, first, audit, hermes } = options;
  const head = [first, 'Records', 'Tokens', 'Instruction', 'Response', 'Response share', 'Share of total'];
  if (hermes) head.push('Hermes 3 ref.');
  const body = rows.map((r) => {
    const cells = [esc(r.name), ...bucketNumbers(r)].map((c) => `<td>${c}</td>`);
    if (hermes) cells.push(`<td class="ref">${r.hermes3Share === undefined ? '—' : formatPercent(r.hermes3Share)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  const total = ['Total', ...totalNumbers(audit)].map((c) => `<td>${c}</td>`);
  if (hermes) total.push('<td class="ref">100.0%</td>');
  return wrap({ head, body, foot: `<tr>${total.join('')}</tr>` });
}

export function histogramTableHtml(options: { audit: Audit; maxLength: number }): string {
  const { audit, maxLength } = options;
  const body = audit.length_histogram.map((b) => {
    const cells = [binLabel(b, formatInt), formatInt(b.records), formatPercent(ratio(b.records, audit.records)), b.min > maxLength ? 'over max length' : ''];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return wrap({ head: ['Tokens per record', 'Records', 'Share', ''], body, foot: '' });
}

/** A scrollable table; `head`, `body` rows and `foot` are HTML the caller has escaped. */
export function wrap(options: { head: string[]; body: string[]; foot: string }): string {
  const { head, body, foot } = options;
  const thead = `<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
  const tbody = `<tbody>${body.length > 0 ? body.join('') : `<tr><td colspan="${head.length}">none</td></tr>`}</tbody>`;
  return `<div class="table-wrap"><table>${thead}${tbody}${foot ? `<tfoot>${foot}</tfoot>` : ''}</table></div>`;
}
