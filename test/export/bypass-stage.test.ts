import { describe, expect, it } from 'vitest';
import { flatMapStage } from '../../src/stage.js';
import { bypassStage } from '../../src/stages/bypass.js';
import { drop, keep, type Keep, type Outcome, type Stage, type StageContext } from '../../src/types.js';

const ctx: StageContext = { warn: () => undefined, noteFormat: () => undefined };
const item = (index: number, value: string): Keep<string> => keep({ source: 's', index }, value, value);

async function run(stage: Stage<unknown, unknown>, values: string[]): Promise<string[]> {
  async function* input() {
    for (const [i, v] of values.entries()) yield item(i, v);
  }
  const seen: string[] = [];
  for await (const o of stage.run(input(), ctx) as AsyncIterable<Outcome<unknown>>) {
    seen.push(o.kind === 'keep' ? `${o.ref.index}:${o.value}` : `${o.ref.index}:${o.kind}`);
  }
  return seen;
}

describe('bypassStage', () => {
  it('items it skips pass unchanged in their place; the others get every outcome of the wrapped stage, in order', async () => {
    // Two outcomes per input, or a drop: the wrapper must not assume one-in, one-out.
    const twice = flatMapStage<string, string>('twice', (it) =>
      it.value === 'x' ? [drop(it.ref, 'gone', 'x is dropped')] : [keep(it.ref, `${it.value}1`, it.raw), keep(it.ref, `${it.value}2`, it.raw)],
    );
    const stage = bypassStage(twice, (it) => String(it.value).startsWith('p'));
    expect(stage.name).toBe('twice');
    expect(await run(stage, ['a', 'p1', 'x', 'b', 'p2', 'p3', 'c'])).toEqual([
      '0:a1', '0:a2', '1:p1', '2:drop', '3:b1', '3:b2', '4:p2', '5:p3', '6:c1', '6:c2',
    ]);
  });

  it('a stage that emits at its end (after the last input) still has its outcomes emitted, and finish is kept', async () => {
    let finished = false;
    const holdAll: Stage<string, string> = {
      name: 'hold',
      async *run(input) {
        const held: Keep<string>[] = [];
        for await (const it of input) held.push(it);
        for (const it of held) yield keep(it.ref, it.value.toUpperCase(), it.raw);
      },
      finish: async () => {
        finished = true;
      },
    };
    const stage = bypassStage(holdAll, (it) => it.value === 'skip');
    expect(await run(stage, ['a', 'skip', 'b'])).toEqual(['1:skip', '0:A', '2:B']);
    await stage.finish?.();
    expect(finished).toBe(true);
  });

  it('when everything is skipped the wrapped stage sees no item', async () => {
    let pulled = 0;
    const count = flatMapStage<string, string>('count', (it) => (pulled++, [it]));
    expect(await run(bypassStage(count, () => true), ['a', 'b'])).toEqual(['0:a', '1:b']);
    expect(pulled).toBe(0);
  });
});
