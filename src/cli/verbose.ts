import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Reject } from '../../schemas/reject.js';
import { toRejectRecord } from '../sinks.js';
import type { Rejected } from '../types.js';
import { terminalSafe } from '../report/format.js';

/**
 * `--verbose`: one stderr line per rejected record. Without it a command prints only the summary table by
 * reason (a file of 5,000 bad lines must not print 5,000 lines); the details are always in the rejects file.
 */
export function rejectLine(r: Reject): string {
  const where = r.line !== undefined ? `${r.source}:${r.line}` : `${r.source} #${r.index}`;
  const at = r.path ? ` at ${r.path}` : '';
  return terminalSafe(`chatmill: rejected ${where}${at}: ${r.reason}: ${r.message}`);
}

export const printReject = (r: Rejected, stage: string): void => void process.stderr.write(`${rejectLine(toRejectRecord(r, stage))}\n`);

/** `run --verbose`: the run's rejects.jsonl, listed once the run is complete. */
export async function printRejectsFile(path: string): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) if (text.trim()) process.stderr.write(`${rejectLine(JSON.parse(text) as Reject)}\n`);
}
