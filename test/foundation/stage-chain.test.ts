import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/run.js';
import { mapStage, tapStage } from '../../src/stage.js';
import type { Keep, Outcome, Stage } from '../../src/types.js';
import { drop, keep, reject } from '../../src/types.js';

// The runner runs consecutive map stages in one loop instead of one generator each. These tests pin what that
// must not change: which stage sees which record and in what order, every stage's counts, and the order in which
// rejects and drops reach the sinks. The expected values are worked out by hand from the stage rules below.

type Rec = { n: number };
const source = async function* (count: number): AsyncGenerator<Outcome<Rec>> {
  for (let i = 0; i < count; i++) yield keep({ source: 'a.jsonl', index: i }, { n: i }, `{"n":${i}}`);
};

function chain(calls: string[]): Stage<any, any>[] {
  const rejectOdd = mapStage<Rec, Rec>('reject_odd', (item) => {
    calls.push(`A${item.value.n}`);
    return item.value.n % 2 ? reject(item.ref, 'odd', 'odd number', item.raw) : item;
  });
  // Not a map stage: an async generator that adds 100, so the fused runs on either side stay apart.
  const addHundred: Stage<Rec, Rec> = {
    name: 'add_hundred',
    async *run(input: AsyncIterable<Keep<Rec>>) {
      for await (const item of input) {
        calls.push(`B${item.value.n}`);
        yield keep(item.ref, { n: item.value.n + 100 }, item.raw);
      }
    },
  };
  const dropFour = mapStage<Rec, Rec>('drop_104', (item) => {
    calls.push(`C${item.value.n}`);
    return item.value.n === 104 ? drop(item.ref, 'four', 'was four') : item;
  });
  const pass = mapStage<Rec, Rec>('pass', (item) => {
    calls.push(`D${item.value.n}`);
    return item;
  });
  return [rejectOdd, addHundred, dropFour, pass];
}

describe('the stage chain (src/run.ts)', () => {
  it('counts, sink order and per-record call order are those of one generator per stage', async () => {
    const calls: string[] = [];
    const sunk: string[] = [];
    const kept: number[] = [];
    const tally = await runPipeline({
      source: source(8),
      stages: chain(calls),
      sinks: { reject: (r, stage) => void sunk.push(`${stage}:reject:${r.ref.index}`), drop: (d, stage) => void sunk.push(`${stage}:drop:${d.ref.index}`) },
      onOutput: (item) => void kept.push((item.value as Rec).n),
    });
    expect(kept).toEqual([100, 102, 106]);
    expect(sunk).toEqual(['reject_odd:reject:1', 'reject_odd:reject:3', 'drop_104:drop:4', 'reject_odd:reject:5', 'reject_odd:reject:7']);
    // Each record goes all the way through before the next is read.
    expect(calls).toEqual(['A0', 'B0', 'C100', 'D100', 'A1', 'A2', 'B2', 'C102', 'D102', 'A3', 'A4', 'B4', 'C104', 'A5', 'A6', 'B6', 'C106', 'D106', 'A7']);
    const counts = Object.fromEntries(tally.stages);
    expect(counts).toEqual({
      read: { received: 0, emitted: 8, rejected: 0, dropped: 0 },
      reject_odd: { received: 8, emitted: 4, rejected: 4, dropped: 0 },
      add_hundred: { received: 4, emitted: 4, rejected: 0, dropped: 0 },
      drop_104: { received: 4, emitted: 3, rejected: 0, dropped: 1 },
      pass: { received: 3, emitted: 3, rejected: 0, dropped: 0 },
    });
    expect(tally.file('a.jsonl')).toMatchObject({ read: 8, kept: 3, rejected: 4, dropped: 1 });
  });

  it('a tap stage that is sometimes asynchronous is waited for before the next record moves on', async () => {
    const events: string[] = [];
    const slowOnEven = tapStage<Rec>('slow_even', (item) => {
      events.push(`tap${item.value.n}`);
      if (item.value.n % 2) return;
      return new Promise<void>((done) => setTimeout(() => {
        events.push(`tapped${item.value.n}`);
        done();
      }, 5));
    });
    const after = mapStage<Rec, Rec>('after', (item) => {
      events.push(`after${item.value.n}`);
      return item;
    });
    const tally = await runPipeline({ source: source(4), stages: [slowOnEven, after], sinks: { reject() {}, drop() {} }, onOutput: (item) => void events.push(`out${(item.value as Rec).n}`) });
    expect(events).toEqual(['tap0', 'tapped0', 'after0', 'out0', 'tap1', 'after1', 'out1', 'tap2', 'tapped2', 'after2', 'out2', 'tap3', 'after3', 'out3']);
    expect(tally.file('a.jsonl')).toMatchObject({ read: 4, kept: 4 });
  });

  it('a tap whose promise fails stops the run with its error', async () => {
    const failing = tapStage<Rec>('failing', (item) => (item.value.n === 1 ? Promise.reject(new Error('disk full on record 1')) : undefined));
    await expect(runPipeline({ source: source(3), stages: [failing], sinks: { reject() {}, drop() {} } })).rejects.toThrow('disk full on record 1');
  });

  it('a map stage that throws stops the run with its error', async () => {
    const boom = mapStage<Rec, Rec>('boom', (item) => {
      if (item.value.n === 2) throw new Error('stage failed on record 2');
      return item;
    });
    await expect(runPipeline({ source: source(5), stages: [boom], sinks: { reject() {}, drop() {} } })).rejects.toThrow('stage failed on record 2');
  });
});
