import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { Keep, Outcome, Stage, StageContext } from '../types.js';

export interface OrderedBatchStageOptions<I, O, R> {
  name: string;
  /** Records per batch sent to a worker: large enough to amortize messaging, small enough to keep memory low. */
  batchSize: number;
  /** Batches in flight at once (backpressure): the stage stops pulling input while this many are pending. */
  maxInFlight: number;
  /** Start work on a batch (e.g. post it to a worker pool); resolves with one result per item, in order. */
  process(items: Keep<I>[]): Promise<R[]>;
  /** Turn one item and its result into its outcome, on this thread, in input order. */
  outcome(item: Keep<I>, result: R, ctx: StageContext): Outcome<O>;
  finish?: () => Promise<void>;
}

/**
 * A one-in, one-out stage whose work runs elsewhere (worker threads) on batches, several at once, while its
 * outcomes still leave in input order: batches wait in a FIFO and are emitted head first (the reorder buffer).
 * Each input yields exactly one outcome, so a record's events stay contiguous for the runner's bookkeeping.
 */
export function orderedBatchStage<I, O, R>(o: OrderedBatchStageOptions<I, O, R>): Stage<I, O> {
  return {
    name: o.name,
    async *run(input: AsyncIterable<Keep<I>>, ctx: StageContext) {
      const queue: { items: Keep<I>[]; results: Promise<R[]>; settled: boolean }[] = [];
      const launch = (items: Keep<I>[]) => {
        const entry = { items, results: o.process(items), settled: false };
        const settle = () => {
          entry.settled = true;
        };
        entry.results.then(settle, settle); // a failure is rethrown where the head is awaited below, in order
        queue.push(entry);
      };
      function* emit(items: Keep<I>[], results: R[]): Generator<Outcome<O>> {
        if (results.length !== items.length) throw new Error(`${o.name}: got ${results.length} results for ${items.length} records`);
        for (let i = 0; i < items.length; i++) yield o.outcome(items[i], results[i], ctx);
      }
      let batch: Keep<I>[] = [];
      for await (const item of input) {
        batch.push(item);
        if (batch.length < o.batchSize) continue;
        launch(batch);
        batch = [];
        // Finished batches at the head leave at once; the stage waits for an unfinished head only when the reorder
        // buffer is full. (It used to let one batch leave per launch, and only once the buffer was full, so with a
        // small buffer the caller sat idle on the worker's oldest batch when it could have started the next.)
        // A worker's answer is a message, read only when the event loop turns; input parsed from a buffered stream
        // can run for many batches on promises alone. One turn per batch while others are out reads the answers
        // that came in, so finished batches leave (and their records can be freed) a batch later, not ~1 MB later.
        if (queue.length > 1 && !queue[0].settled) await setImmediatePromise();
        while (queue.length && (queue[0].settled || queue.length >= o.maxInFlight)) {
          const head = queue.shift()!;
          yield* emit(head.items, await head.results);
        }
      }
      if (batch.length) launch(batch);
      while (queue.length) {
        const head = queue.shift()!;
        yield* emit(head.items, await head.results);
      }
    },
    finish: o.finish,
  };
}
