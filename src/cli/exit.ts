import { ConservationError, UsageError } from '../types.js';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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
