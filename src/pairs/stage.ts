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
  /** The category an input file gives its records (a pipeline input's `category:`), for records that carry none. */
  categoryFor?: (source: string) => string | undefined;
}

/** A record's own `category` string, else its input's: what `mix ... by: category` groups pairs by. */
function categoryOf(value: unknown, source: string, categoryFor: PairsStageOptions['categoryFor']): string | undefined {
  const own = value && typeof value === 'object' && Object.hasOwn(value, 'category') ? (value as { category: unknown }).category : undefined;
  return typeof own === 'string' && own !== '' ? own : categoryFor?.(source);
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
    if (built.ok) {
      const category = categoryOf(item.value, item.ref.source, opts.categoryFor);
      return built.records.map((r) => keep(item.ref, category === undefined ? r : { ...r, category }, item.raw));
    }
    return built.outcome === 'reject'
      ? [reject(item.ref, built.reason, built.message, item.raw, built.path)]
      : [drop(item.ref, built.reason, built.message)];
  };
  if (options.kto !== 'paired') return flatMapStage('pairs', one);

  // KTO pairing needs every record of a prompt, and pairs only records of one file, so labelled records wait
  // until their file ends (inputs arrive file after file). So a file's pairs never depend on another file, and
  // a run over several ranks, which reads whole files per rank, pairs exactly as one process does.
  // Each record's outcomes are still emitted together, as the runner requires.
  return {
    name: 'pairs',
    async *run(input, ctx) {
      let waiting: Array<{ item: Keep<unknown>; shape: Labelled }> = [];
      let source: string | undefined;
      function* paired(): Generator<Outcome<PairRecord>> {
        for (const o of pairKtoGroups(waiting, { options, tokens: opts.tokens })) {
          const category = o.kind === 'keep' ? opts.categoryFor?.(o.ref.source) : undefined;
          yield category === undefined || o.kind !== 'keep' ? o : keep(o.ref, { ...o.value, category }, o.raw);
        }
        waiting = [];
      }
      for await (const item of input) {
        if (source !== undefined && item.ref.source !== source) yield* paired();
        source = item.ref.source;
        const shape = readShape(item.value, options);
        if (!isProblem(shape) && !isSkip(shape) && shape.kind === 'labelled') {
          ctx.noteFormat(item.ref, shape.format);
          waiting.push({ item, shape });
        } else yield* one(item, ctx);
      }
      yield* paired();
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'tokens' && k !== 'categoryFor')) as Partial<T>;
}
