import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 may grow a heap past what survived its last full collection, in percent.
 *
 * By default V8 picks the factor from how fast collection runs, up to 4×. chatmill allocates garbage at a high,
 * steady rate (one string per message, one array per batch) on top of a large live set (each tokenize worker holds
 * ~270 MB of vocabulary and merge tables), so the limits kept rising for as long as a run lasted: peak RSS was
 * ~945 MB on 100,000 bench conversations and ~830 MB on 25,000. With 10% the same runs peak at ~640 and ~620 MB,
 * in the same time (bench/run.mjs; docs/performance.md).
 */
export const HEAP_GROWING_PERCENT = 10;

/**
 * Applies HEAP_GROWING_PERCENT to this process; worker threads started afterwards get it too (V8 flags are
 * process-wide). A value the user gave in NODE_OPTIONS or on node's command line wins.
 */
export function limitHeapGrowth(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
