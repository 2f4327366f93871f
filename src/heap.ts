import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 may grow a heap past what survived its last full collection, in percent.
 *
 * By default V8 picks the factor from how fast collection runs, up to 4×. chatmill allocates garbage at a high,
 * steady rate (one string per message, one array per batch, one Arrow buffer per row group) on a small live set, so
 * the main thread's heap kept growing far past what it used. With the compiled tokenizer's tables shared (no
 * worker holds a vocabulary any more) this setting is still what keeps a run within 300 MB: the whole default
 * pipeline's own peak RSS (bench/memory.mjs, 2026-11-30) is 274 / 284 / 290 / 289 MB with it and 315 / 339 / 361 /
 * 373 MB without it, on 20k real-sentence, 20k phrase-bank, 100k real-sentence and 100k phrase-bank conversations.
 * Its cost in time could not be told apart from the machine's load (load average 5-13) in that run.
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
