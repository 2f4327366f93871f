import type { Summary } from '../tally.js';
import { formatInt, terminalSafe, truncateLeft } from './format.js';
import { textTable } from './text-table.js';

/**
 * The human summary of validate / convert / run on stderr: one row per input file, then the count of
 * every reject reason and every warning code. Long paths are cut from the left so the file name shows.
 */
export function summaryTable(summary: Summary, options: { pathWidth?: number } = {}): string {
  const pathWidth = options.pathWidth ?? 48;
  const num = { align: 'right' as const };
  const files = textTable({
    columns: [{ header: 'file' }, { header: 'format' }, { header: 'read', ...num }, { header: 'kept', ...num }, { header: 'rejected', ...num }, { header: 'dropped', ...num }],
    rows: summary.files.map((f) => [
      truncateLeft(terminalSafe(f.path), pathWidth),
      terminalSafe(f.format),
      formatInt(f.read),
      formatInt(f.kept),
      formatInt(f.rejected),
      formatInt(f.dropped),
    ]),
    footer: [['total', '', formatInt(summary.read), formatInt(summary.kept), formatInt(summary.rejected), formatInt(summary.dropped)]],
  });
  const parts = [files];
  for (const [title, counts] of [['rejected because', summary.reasons], ['warnings (records kept)', summary.warnings]] as const) {
    const entries = Object.entries(counts);
    if (!entries.length) continue;
    parts.push(
      '',
      textTable({
        columns: [{ header: title }, { header: 'records', ...num }],
        rows: entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, n]) => [terminalSafe(code), formatInt(n)]),
      }),
    );
  }
  return parts.join('\n');
}
