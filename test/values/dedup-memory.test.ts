import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 10 item 10: dedup memory is fixed per distinct record, whatever the ids hold. The stage runs in a
 * child process with --expose-gc (see dedup-memory-child.mjs) so a full GC makes the figure exact enough.
 * bench/dedup-memory.mjs prints the same measurement at 1M records.
 */
const CHILD = fileURLToPath(new URL('./dedup-memory-child.mjs', import.meta.url));

function measure(records: number, idChars: number) {
  const out = execFileSync(process.execPath, ['--expose-gc', CHILD, String(records), String(idChars)], { encoding: 'utf8' });
  return JSON.parse(out) as { kept: number; drops: number; wrongDuplicateOf: number; retained: number };
}

describe('dedup memory (item 10)', () => {
  it('1,000 records with 64 KB ids: memory does not grow with the ids, and duplicates still name the exact id', () => {
    const r = measure(1000, 64 * 1024);
    expect(r).toMatchObject({ kept: 1000, drops: 10, wrongDuplicateOf: 0 });
    // Holding the ids would take 64 MB; the fixed part (first table chunk, write buffer) is under 2 MB.
    expect(r.retained).toBeLessThan(4 * 2 ** 20);
  });

  it('200,000 tiny records: under 64 bytes per distinct record (16-byte hash + 12-byte reference + table)', () => {
    const r = measure(200_000, 0);
    expect(r).toMatchObject({ kept: 200_000, drops: 2000, wrongDuplicateOf: 0 });
    expect(r.retained / r.kept).toBeLessThan(64);
  });
});
