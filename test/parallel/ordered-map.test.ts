import { describe, expect, it } from 'vitest';
import { orderedBatchStage } from '../../src/parallel/ordered-map.js';
import type { Keep, Outcome } from '../../src/types.js';
import { keep } from '../../src/types.js';

const ctx = { warn: () => undefined, noteFormat: () => undefined };

/** Items 0..n-1, all available at once (as parsed records are), counting how many the stage has pulled. */
function source(n: number) {
  const state = { pulled: 0 };
  async function* items(): AsyncGenerator<Keep<number>> {
    for (let i = 0; i < n; i++) {
      state.pulled = i + 1;
      yield { kind: 'keep', ref: { source: 't', index: i }, value: i, raw: '' };
    }
  }
  return { state, items };
}

/** Run the stage; for each outcome, how many items had been pulled when it left. */
async function drain(stage: ReturnType<typeof orderedBatchStage<number, number, number>>, n: number) {
  const { state, items } = source(n);
  const out: { outcome: Outcome<number>; pulledBefore: number }[] = [];
  for await (const outcome of stage.run(items(), ctx)) out.push({ outcome, pulledBefore: state.pulled });
  return out;
}

const valueOf = (o: Outcome<number>) => (o.kind === 'keep' ? o.value : undefined);

describe('orderedBatchStage (the reorder buffer behind the tokenize workers)', () => {
  it('yields every outcome in input order though batches finish out of order', async () => {
    // Later batches finish first: batch b waits (10 - b % 10) ms.
    const stage = orderedBatchStage<number, number, number>({
      name: 't',
      batchSize: 3,
      maxInFlight: 8,
      process: (items) => new Promise((resolve) => setTimeout(() => resolve(items.map((i) => i.value * 2)), 10 - (items[0].value / 3) % 10)),
      outcome: (item, r) => keep(item.ref, r, item.raw),
    });
    const out = await drain(stage, 100);
    expect(out.map((o) => o.outcome.ref.index)).toEqual([...Array(100).keys()]);
    expect(out.map((o) => valueOf(o.outcome))).toEqual([...Array(100).keys()].map((i) => i * 2));
  });

  it('lets a finished batch leave at once instead of when the buffer fills', async () => {
    // Batches done on this thread resolve at once: their records must not sit in a buffer of 16 batches.
    const stage = orderedBatchStage<number, number, number>({
      name: 't',
      batchSize: 4,
      maxInFlight: 16,
      process: async (items) => items.map((i) => i.value),
      outcome: (item, r) => keep(item.ref, r, item.raw),
    });
    const out = await drain(stage, 200);
    expect(out).toHaveLength(200);
    // Item 0's batch finished as it was launched; it leaves while the next batch or two are read, not after 16.
    expect(out[0].pulledBefore).toBeLessThanOrEqual(3 * 4);
    for (const o of out) expect(o.pulledBefore).toBeLessThanOrEqual(o.outcome.ref.index + 3 * 4);
  });

  it('reads answers that arrive as messages (macrotasks) while input is still available', async () => {
    // A worker's answer is a message: it resolves in a later turn of the event loop. Input that is all available
    // resolves through promises alone, so without a turn per batch no answer was read until the buffer filled.
    const stage = orderedBatchStage<number, number, number>({
      name: 't',
      batchSize: 4,
      maxInFlight: 64,
      process: (items) => new Promise((resolve) => setImmediate(() => resolve(items.map((i) => i.value)))),
      outcome: (item, r) => keep(item.ref, r, item.raw),
    });
    const out = await drain(stage, 400);
    expect(out.map((o) => o.outcome.ref.index)).toEqual([...Array(400).keys()]);
    expect(out[0].pulledBefore).toBeLessThanOrEqual(4 * 4);
  });

  it('waits for an unfinished head once the buffer is full, and not before', async () => {
    // Batch 0 takes 50 ms, the rest finish at once: the stage reads ahead exactly up to maxInFlight batches.
    const stage = orderedBatchStage<number, number, number>({
      name: 't',
      batchSize: 2,
      maxInFlight: 5,
      process: (items) => (items[0].value === 0 ? new Promise((resolve) => setTimeout(() => resolve(items.map((i) => i.value)), 50)) : Promise.resolve(items.map((i) => i.value))),
      outcome: (item, r) => keep(item.ref, r, item.raw),
    });
    const out = await drain(stage, 40);
    expect(out.map((o) => o.outcome.ref.index)).toEqual([...Array(40).keys()]);
    // 5 batches of 2 launched (10 items pulled) while batch 0 was out; none of them left before it.
    expect(out[0].pulledBefore).toBe(10);
    expect(out.slice(0, 10).every((o) => o.pulledBefore === 10)).toBe(true);
  });

  it('rethrows a failed batch in order, after the outcomes before it', async () => {
    const stage = orderedBatchStage<number, number, number>({
      name: 't',
      batchSize: 2,
      maxInFlight: 4,
      process: (items) => (items[0].value === 6 ? Promise.reject(new Error('batch from 6 failed')) : Promise.resolve(items.map((i) => i.value))),
      outcome: (item, r) => keep(item.ref, r, item.raw),
    });
    const { items } = source(20);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const o of stage.run(items(), ctx)) seen.push(o.ref.index);
      })(),
    ).rejects.toThrow('batch from 6 failed');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
