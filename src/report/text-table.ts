import { textWidth } from './format.js';

export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
}

/**
 * A fixed-width plain-text table for terminals: header, a rule, rows, and optional footer rows
 * under a second rule (totals). Cells are padded by visible width, two spaces between columns.
 */
export function textTable(options: { columns: TextColumn[]; rows: string[][]; footer?: string[][] }): string {
  const { columns, rows, footer = [] } = options;
  const all = [columns.map((c) => c.header), ...rows, ...footer];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => textWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    columns
      .map((c, i) => pad({ text: cells[i] ?? '', width: widths[i], align: c.align ?? 'left' }))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(all[0]), rule, ...rows.map(line)];
  if (footer.length > 0) out.push(rule, ...footer.map(line));
  return out.join('\n');
}

function pad(options: { text: string; width: number; align: 'left' | 'right' }): string {
  const gap = ' '.repeat(Math.max(0, options.width - textWidth(options.text)));
  return options.align === 'right' ? gap + options.text : options.text + gap;
}
