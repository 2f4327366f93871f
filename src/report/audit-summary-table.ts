import type { Audit } from '../../schemas/audit.js';
import { bucketNumbers, bucketRows, totalNumbers, type BucketRow } from './audit-rows.js';
import { formatInt, formatPercent, terminalSafe, truncateLeft, truncateRight } from './format.js';
import { textTable } from './text-table.js';

/**
 * The audit for a human on stderr: totals, then a fixed-width table per category and per source.
 * Plain text only (no colour) so it reads the same in a terminal and in a CI log.
 */
export function auditSummaryTable(audit: Audit, options: { targetResponseShare?: number; nameWidth?: number } = {}): string {
  const target = options.targetResponseShare ?? 0.69;
  const nameWidth = options.nameWidth ?? 40;
  const diff = (audit.response_share - target) * 100;
  const sign = diff >= 0 ? '+' : '−';
  const lines = [
    `records ${formatInt(audit.records)}, tokens ${formatInt(audit.tokens)} ` +
      `(instruction ${formatInt(audit.instruction_tokens)}, response ${formatInt(audit.response_tokens)})`,
    `response share ${formatPercent(audit.response_share)} (target ${formatPercent(target)}, ${sign}${Math.abs(diff).toFixed(1)} pts)`,
    `packing: ${formatInt(audit.packing.packs)} packs of ${formatInt(audit.packing.seq_len)} tokens, ` +
      `efficiency ${formatPercent(audit.packing.efficiency)}; over max length: ${formatInt(audit.over_max_length)}`,
    `tokenizer ${terminalSafe(audit.tokenizer.name)}, template ${terminalSafe(audit.template)}`,
    '',
    bucketTable({ rows: bucketRows({ audit, by: 'category' }), heading: 'category', audit, shorten: (s) => truncateRight(s, nameWidth) }),
    '',
    bucketTable({ rows: bucketRows({ audit, by: 'source' }), heading: 'source', audit, shorten: (s) => truncateLeft(s, nameWidth) }),
  ];
  return `${lines.join('\n')}\n`;
}

function bucketTable(options: { rows: BucketRow[]; heading: string; audit: Audit; shorten: (s: string) => string }): string {
  const { rows, heading, audit, shorten } = options;
  const num = { align: 'right' as const };
  return textTable({
    columns: [
      { header: heading },
      { header: 'records', ...num },
      { header: 'tokens', ...num },
      { header: 'instruction', ...num },
      { header: 'response', ...num },
      { header: 'resp %', ...num },
      { header: 'of total', ...num },
    ],
    rows: rows.map((r) => [shorten(terminalSafe(r.name)), ...bucketNumbers(r)]),
    footer: [['total', ...totalNumbers(audit)]],
  });
}
