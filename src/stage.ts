import type { Keep, Outcome, SourceRef, Stage, StageContext } from './types.js';

/**
 * Build a one-in, one-out stage from a per-record function. The function stays pure and testable;
 * the iterable plumbing lives here once.
 */
export function mapStage<I, O>(
  name: string,
  fn: (item: Keep<I>, ctx: StageContext) => Outcome<O>,
  finish?: () => Promise<void>,
): MapStage<I, O> {
  return stageOfMap(name, fn, finish);
}

/**
 * A one-in, one-out stage (mapStage, tapStage): besides `run`, its per-record function, which the runner (src/run.ts) calls directly
 * to run consecutive map stages in one loop.
 */
export interface MapStage<I = unknown, O = unknown> extends Stage<I, O> {
  map(item: Keep<I>, ctx: StageContext): Outcome<O> | Promise<Outcome<O>>;
}

/**
 * A map stage from its per-record function, which may answer with a promise; `run` is derived from it, so the
 * fused loop (src/run.ts) and a stage run on its own give the same outcomes.
 */
export function stageOfMap<I, O>(name: string, map: MapStage<I, O>['map'], finish?: () => Promise<void>): MapStage<I, O> {
  return {
    name,
    map,
    async *run(input, ctx) {
      for await (const item of input) {
        const result = map(item, ctx);
        yield result instanceof Promise ? await result : result;
      }
    },
    finish,
  };
}

export const isMapStage = (stage: Stage<any, any>): stage is MapStage => typeof (stage as Partial<MapStage>).map === 'function';

/** A one-in, many-out stage (e.g. preference pairs). */
export function flatMapStage<I, O>(
  name: string,
  fn: (item: Keep<I>, ctx: StageContext) => Iterable<Outcome<O>>,
  finish?: () => Promise<void>,
): Stage<I, O> {
  return {
    name,
    async *run(input, ctx) {
      for await (const item of input) yield* fn(item, ctx);
    },
    finish,
  };
}

/** A stage that sees every kept item (to write or tally it) and passes it on unchanged. */
export function tapStage<T>(
  name: string,
  fn: (item: Keep<T>) => void | Promise<void>,
  finish?: () => Promise<void>,
): MapStage<T, T> {
  // Awaited only when fn returned a promise, so a synchronous tap costs no microtask per record.
  return stageOfMap<T, T>(
    name,
    (item) => {
      const pending = fn(item);
      return pending instanceof Promise ? pending.then(() => item) : item;
    },
    finish,
  );
}

export const refKey = (ref: SourceRef): string => `${ref.source}\u0000${ref.index}`;
