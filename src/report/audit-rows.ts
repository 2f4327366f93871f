import type { Audit, TokenBucket } from '../../schemas/audit.js';
import { formatInt, formatPercent, ratio } from './format.js';
import { hermes3ShareFor } from './hermes-reference.js';

/** One line of the by-category or by-source table, with the derived shares every report shows. */
export interface BucketRow {
  name: string;
  records: number;
  tokens: number;
  instruction: number;
  response: number;
  /** response / (instruction + response): the share that is trained on. */
  responseShare: number;
  /** tokens / all tokens of the audit. */
  shareOfTotal: number;
  /** Share of the same category in the Hermes 3 mixture (categories only, when the name matches). */
  hermes3Share?: number;
}

/** The six numbers every report shows for a row, formatted: records, tokens, instruction, response, shares. */
export function bucketNumbers(r: BucketRow): string[] {
  return [
    formatInt(r.records),
    formatInt(r.tokens),
    formatInt(r.instruction),
    formatInt(r.response),
    formatPercent(r.responseShare),
    formatPercent(r.shareOfTotal),
  ];
}

/** The same six numbers for the whole audit (a table's total row); the share of total is 100%. */
export function totalNumbers(audit: Audit): string[] {
  return [
    formatInt(audit.records),
    formatInt(audit.tokens),
    formatInt(audit.instruction_tokens),
    formatInt(audit.response_tokens),
    formatPercent(audit.response_share),
    formatPercent(audit.tokens > 0 ? 1 : 0),
  ];
}

/** Rows sorted by tokens, largest first; ties by name so output is stable. */
export function bucketRows(options: { audit: Audit; by: 'category' | 'source' }): BucketRow[] {
  const { audit, by } = options;
  const buckets: Record<string, TokenBucket> = by === 'category' ? audit.by_category : audit.by_source;
  const rows = Object.entries(buckets).map(([name, b]): BucketRow => {
    const row: BucketRow = {
      name,
      records: b.records,
      tokens: b.tokens,
      instruction: b.instruction_tokens,
      response: b.response_tokens,
      responseShare: ratio(b.response_tokens, b.instruction_tokens + b.response_tokens),
      shareOfTotal: ratio(b.tokens, audit.tokens),
    };
    if (by === 'category') row.hermes3Share = hermes3ShareFor(name);
    return row;
  });
  return rows.sort((a, b) => b.tokens - a.tokens || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Human label of a histogram bin: "0–511", "8,192+" for an open-ended last bin. */
export function binLabel(bin: { min: number; max: number }, format: (n: number) => string): string {
  if (!Number.isFinite(bin.max) || bin.max >= Number.MAX_SAFE_INTEGER) return `${format(bin.min)}+`;
  return bin.min === bin.max ? format(bin.min) : `${format(bin.min)}–${format(bin.max)}`;
}
