import type { Audit } from '../../schemas/audit.js';
import { describeTemplate } from '../tokens/template-name.js';
import { binLabel, bucketNumbers, bucketRows, type BucketRow } from './audit-rows.js';
import { escapeMarkdownCell as cell, formatCompact, formatInt, formatPercent, ratio } from './format.js';
import { hermes3ResponseShare } from './hermes-reference.js';
import { curationMarkdown } from './curation-section.js';
import type { CurationStageReport } from '../checks/curation-log.js';

export interface AuditMarkdownOptions {
  audit: Audit;
  targetResponseShare: number;
  maxLength: number;
  title?: string;
  /** What the dataset's curation stages removed, rejected and flagged (a pipeline run with curation stages). */
  curation?: CurationStageReport[];
}

/**
 * audit.md: GitHub-flavoured Markdown, written to be appended to a GitHub Actions job summary.
 * Every name from the data goes through escapeMarkdownCell so it cannot break a table or inject HTML.
 */
export function auditMarkdown(options: AuditMarkdownOptions): string {
  const { audit, targetResponseShare: target, maxLength } = options;
  const title = options.title ?? 'Dataset audit';
  const diffPts = (audit.response_share - target) * 100;
  const out: string[] = [
    `## ${cell(title)}`,
    '',
    `Tokenizer \`${code(audit.tokenizer.name)}\` (vocab ${formatInt(audit.tokenizer.vocab_size)}), template \`${code(audit.template)}\`: ${cell(describeTemplate(audit.template))}.`,
    '',
    table(
      ['Total', 'Value'],
      [
        ['Records', formatInt(audit.records)],
        ['Tokens', `${formatInt(audit.tokens)} (${formatCompact(audit.tokens)})`],
        ['Instruction tokens', `${formatInt(audit.instruction_tokens)} (${formatPercent(ratio(audit.instruction_tokens, audit.tokens))})`],
        ['Response tokens', `${formatInt(audit.response_tokens)} (${formatPercent(ratio(audit.response_tokens, audit.tokens))})`],
        [
          'Response share',
          `${formatPercent(audit.response_share)} vs target ${formatPercent(target)} (${diffPts >= 0 ? '+' : '−'}${Math.abs(diffPts).toFixed(1)} pts)`,
        ],
        [
          'Packing estimate',
          `${formatInt(audit.packing.packs)} packs × ${formatInt(audit.packing.seq_len)} tokens, ${formatPercent(audit.packing.efficiency)} efficient`,
        ],
        [`Over max length (> ${formatInt(maxLength)} tokens)`, `${formatInt(audit.over_max_length)} (${formatPercent(ratio(audit.over_max_length, audit.records))} of records)`],
      ],
    ),
    '',
    '### By category',
    '',
    bucketTable({ rows: bucketRows({ audit, by: 'category' }), first: 'Category', hermes: true }),
    '',
    `Hermes 3 reference: share of the published Hermes 3 SFT mixture for a category of the same name; its response share was ${formatPercent(hermes3ResponseShare, 0)}.`,
    '',
    '### By source',
    '',
    bucketTable({ rows: bucketRows({ audit, by: 'source' }), first: 'Source', hermes: false }),
    '',
    `### Length histogram (tokens per record, max length ${formatInt(maxLength)})`,
    '',
    table(
      ['Tokens', 'Records', 'Share', ''],
      audit.length_histogram.map((b) => [
        binLabel(b, formatInt),
        formatInt(b.records),
        formatPercent(ratio(b.records, audit.records)),
        b.min > maxLength ? 'over max length' : '',
      ]),
      ['left', 'right', 'right', 'left'],
    ),
    '',
    ...(options.curation?.length ? [curationMarkdown(options.curation)] : []),
  ];
  return out.join('\n');
}

function bucketTable(options: { rows: BucketRow[]; first: string; hermes: boolean }): string {
  const { rows, first, hermes } = options;
  const headers = [first, 'Records', 'Tokens', 'Instruction', 'Response', 'Response share', 'Share of total'];
  if (hermes) headers.push('Hermes 3 reference');
  const body = rows.map((r) => {
    const line = [cell(r.name), ...bucketNumbers(r)];
    if (hermes) line.push(r.hermes3Share === undefined ? '—' : formatPercent(r.hermes3Share));
    return line;
  });
  return table(headers, body, ['left', ...headers.slice(1).map(() => 'right' as const)]);
}

/** A GFM table; cells must already be escaped. */
export function table(headers: string[], rows: string[][], align: Array<'left' | 'right'> = []): string {
  const rule = headers.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  if (rows.length === 0) rows = [headers.map((_, i) => (i === 0 ? '_none_' : ''))];
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

/** Text inside an inline code span (outside tables): a backtick would end it, a newline break the line. */
function code(text: string): string {
  return text.replace(/[`\r\n]/g, ' ');
}
