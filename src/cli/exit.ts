import { ConservationError, UsageError } from '../types.js';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A damaged input file (FILE_FAULT_REASONS in src/tally.ts: `truncated_file`, `corrupt_file`) makes the
 * command exit 1 once everything is written, even though the records around the fault were kept: data the
 * user meant to include is missing. Pass `Tally.fileFaults()`.
 */
export function exitForFileFaults(faults: Record<string, number>): number {
  const list = Object.entries(faults);
  if (!list.length) return EXIT.ok;
  const what = list.map(([reason, n]) => `${reason} ${n}`).join(', ');
  process.stderr.write(`chatmill: damaged input file(s) (${what}): the records before each fault were kept, the rest are listed as rejects; exit 1\n`);
  return EXIT.failed;
}

/**
 * Run a command body and turn its errors into exit codes: bad usage or unreadable input exits 2,
 * a broken conservation check or any other failure exits 1. Never prints a stack for expected errors.
 */
export async function runCommandBody(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`chatmill: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof ConservationError) {
      process.stderr.write(`chatmill: CONSERVATION CHECK FAILED: ${err.message}\n`);
      process.exitCode = EXIT.failed;
    } else {
      const e = err as Error;
      process.stderr.write(`chatmill: ${e?.message ?? String(err)}\n`);
      if (process.env.CHATMILL_DEBUG) process.stderr.write(`${e?.stack}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}
