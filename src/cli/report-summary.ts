import type { Tally } from '../tally.js';
import { summaryTable } from '../report/summary-table.js';

/** The run summary: a table on stderr for people, the JSON contract on stdout with --json. */
export function reportSummary(tally: Tally, opts: { json: boolean; extra?: Record<string, unknown> }): void {
  const summary = tally.summary();
  process.stderr.write(`${summaryTable(summary)}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...summary, ...opts.extra })}\n`);
}
