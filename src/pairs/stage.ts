import type { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import { flatMapStage } from '../stage.js';
import { drop, keep, reject, type Keep, type Outcome, type Stage, type StageContext } from '../types.js';
import { buildRecords, type TokenCounter } from './build.js';
import { pairKtoGroups } from './kto-pair.js';
import { readShape } from './shape.js';
import { detectPreference } from './detect.js';
import { DEFAULT_PAIR_OPTIONS, isProblem, isSkip, type Labelled, type PairOptions } from './types.js';

export type PairRecord = PreferencePair | UnpairedPreference;

export interface PairsStageOptions extends Partial<PairOptions> {
  tokens?: TokenCounter;
}

/**
 * The `pairs` stage: parsed records in, TRL conversational preference records out. One record may
 * yield several pairs (all-pairs); every record that yields none is rejected or dropped with a reason.
 */
export function pairsStage(opts: PairsStageOptions = {}): Stage<unknown, PairRecord> {
  const options: PairOptions = { ...DEFAULT_PAIR_OPTIONS, ...definedOnly(opts) };
  const one = (item: Keep<unknown>, ctx: StageContext): Outcome<PairRecord>[] => {
    const format = detectPreference(item.value);
    if (format) ctx.noteFormat(item.ref, format);
    const shape = readShape(item.value, options);
    if (isProblem(shape)) return [reject(item.ref, shape.reason, shape.message, item.raw, shape.path)];
    if (isSkip(shape)) return [drop(item.ref, shape.reason, shape.message)];
    const built = buildRecords(shape, { source: item.ref.source, index: item.ref.index, options, tokens: opts.tokens });
    if (built.ok) return built.records.map((r) => keep(item.ref, r, item.raw));
    return built.outcome === 'reject'
      ? [reject(item.ref, built.reason, built.message, item.raw, built.path)]
      : [drop(item.ref, built.reason, built.message)];
  };
  if (options.kto !== 'paired') return flatMapStage('pairs', one);

  // KTO pairing needs every record of a prompt, so labelled records wait until the input ends.
  // Each record's outcomes are still emitted together, as the runner requires.
  return {
    name: 'pairs',
    async *run(input, ctx) {
      const waiting: Array<{ item: Keep<unknown>; shape: Labelled }> = [];
      for await (const item of input) {
        const shape = readShape(item.value, options);
        if (!isProblem(shape) && !isSkip(shape) && shape.kind === 'labelled') {
          ctx.noteFormat(item.ref, shape.format);
          waiting.push({ item, shape });
        } else yield* one(item, ctx);
      }
      yield* pairKtoGroups(waiting, { options, tokens: opts.tokens });
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'tokens')) as Partial<T>;
}
