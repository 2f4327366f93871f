import type { Keep, Outcome, Stage, StageContext } from '../types.js';

const HUNGRY = Symbol('hungry');

/**
 * The input of a wrapped stage, fed one item at a time. `hungry()` settles when the stage asks for an item
 * and none is queued: then every outcome of the items fed so far has been emitted (stages emit all outcomes
 * of one input before pulling the next), and the next input may go around the stage.
 */
class Feed<T> {
  private queue: T[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private hungrySignal!: Promise<typeof HUNGRY>;
  private setHungry!: () => void;

  constructor() {
    this.armHungry();
  }

  private armHungry() {
    this.hungrySignal = new Promise((resolve) => (this.setHungry = () => resolve(HUNGRY)));
  }

  push(item: T) {
    this.queue.push(item);
    this.armHungry();
    this.wake?.();
  }

  end() {
    this.ended = true;
    this.wake?.();
  }

  hungry(): Promise<typeof HUNGRY> {
    return this.hungrySignal;
  }

  async *items(): AsyncGenerator<T> {
    for (;;) {
      if (this.queue.length) {
        yield this.queue.shift()!;
        continue;
      }
      if (this.ended) return;
      this.setHungry();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/**
 * `stage`, except that items for which `skip` holds go around it unchanged, in their place in the stream.
 * Export needs this: one input may hold SFT conversations and preference records side by side, and only
 * the conversations go through normalize, validate and dedup (the pairs go through pairing instead).
 * The wrapper keeps the stage's name and `finish`, so the runner's per-stage counts stay as they were.
 */
export function bypassStage(stage: Stage<any, any>, skip: (item: Keep<unknown>, ctx: StageContext) => boolean): Stage<unknown, unknown> {
  return {
    name: stage.name,
    finish: stage.finish ? () => stage.finish!() : undefined,
    async *run(input, ctx) {
      const feed = new Feed<Keep<unknown>>();
      const out = stage.run(feed.items() as AsyncIterable<Keep<any>>, ctx)[Symbol.asyncIterator]();
      // A pull on the stage that has not answered yet: it answers once the stage gets its next item.
      let pending: Promise<IteratorResult<Outcome<unknown>>> | undefined;
      let done = false;
      async function* untilHungry(): AsyncGenerator<Outcome<unknown>> {
        while (!done) {
          pending ??= out.next();
          const next = await Promise.race([pending, feed.hungry()]);
          if (next === HUNGRY) return;
          pending = undefined;
          if (next.done) done = true;
          else yield next.value;
        }
      }
      for await (const item of input) {
        if (skip(item, ctx)) {
          yield item;
          continue;
        }
        feed.push(item);
        yield* untilHungry();
      }
      feed.end();
      while (!done) {
        const next = await (pending ?? out.next());
        pending = undefined;
        if (next.done) done = true;
        else yield next.value;
      }
    },
  };
}
