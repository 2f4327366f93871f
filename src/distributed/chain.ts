import type { Dataset, Pipeline } from '../../schemas/pipeline.js';
import type { InputSpec } from '../ingest.js';
import type { NormalizeOptions } from '../formats/normalize.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { DEFAULT_LIMITS, type ReadLimits } from '../read/index.js';
import { parseStage } from '../stages/parse.js';
import { normalizeStage } from '../stages/normalize.js';
import { validateStage } from '../stages/validate.js';
import type { DatasetExports } from '../pipeline/exports.js';
import { buildSftStages, type BuildHow, type SftBuild, type StageKind } from '../pipeline/sft-stages.js';
import { buildPreferenceStages } from '../pipeline/preference-stages.js';
import type { PairStatsCollector } from '../pairs/stats.js';
import type { MixReport } from '../mix/stage.js';

/**
 * One dataset's whole chain as a single-process run builds it (read → parse → normalize → validate → the
 * listed stages), with each stage's kind. Ranks split it at the first global stage: what comes before runs
 * for real in the map phase and is final; what comes after runs in map too but only provisionally, and the
 * decide phase replays it in input order with the global stages (src/distributed/decide.ts).
 */
export interface Chain {
  name: string;
  kind: 'sft' | 'preference';
  stages: Stage<any, any>[];
  kinds: StageKind[];
  /** Index of the first global stage; undefined when the dataset has none (then decide has nothing to do for it). */
  firstGlobal: number | undefined;
  /** Index of the first observer (audit/write/export/pair-stats); every stage from here on is one. */
  firstObserver: number;
  /** The dataset's stage counter names, in pipeline order (`read` first). */
  counterNames: string[];
  sft?: SftBuild;
  pairStats?: PairStatsCollector;
  /** A preference dataset's mix report, once its mix stage has decided (an SFT dataset's is `sft.mix`). */
  preferenceMix?: () => MixReport | undefined;
}

/**
 * Whether a dataset's files must each be read whole by one rank: KTO pairing (`pairs: { kto: paired }`) groups
 * the records of one file by prompt, so records of one prompt must not be split over byte ranges. Pairing
 * within a file is then a record stage of that file's unit, with the single-process result.
 */
export const readsWholeFiles = (dataset: Dataset): boolean =>
  dataset.kind === 'preference' && dataset.stages.some((e) => 'pairs' in e && e.pairs?.kto === 'paired');

export const limitsOf = (pipeline: Pipeline): ReadLimits => ({ ...DEFAULT_LIMITS, maxRecordBytes: pipeline.limits.max_record_bytes, maxDepth: pipeline.limits.max_depth });

/** The normalize options of a file: its input entry's format, column mapping and category (as src/ingest.ts does). */
export const normalizeOptionsFor =
  (specFor: Map<string, InputSpec>) =>
  (source: string): NormalizeOptions => {
    const spec = specFor.get(source);
    return { format: spec?.format, mapping: { columns: spec?.columns, roles: spec?.roles }, category: spec?.category };
  };

export async function buildChain(o: {
  pipeline: Pipeline;
  name: string;
  dataset: Dataset;
  specFor: Map<string, InputSpec>;
  place: (path: string) => string;
  exports: DatasetExports;
  how?: BuildHow;
}): Promise<Chain> {
  const limits = limitsOf(o.pipeline);
  let stages: Stage<any, any>[];
  let kinds: StageKind[];
  let sft: SftBuild | undefined;
  let pairStats: PairStatsCollector | undefined;
  let preferenceMix: Chain['preferenceMix'];
  if (o.dataset.kind === 'preference') {
    const built = await buildPreferenceStages({ name: o.name, dataset: o.dataset, place: o.place, exports: o.exports, categoryFor: (source) => o.specFor.get(source)?.category, namesOnly: o.how?.namesOnly });
    stages = [parseStage(limits), ...built.stages];
    kinds = ['record', ...built.kinds];
    pairStats = built.stats;
    preferenceMix = built.mix;
  } else {
    sft = await buildSftStages({ name: o.name, dataset: o.dataset, place: o.place, exports: o.exports, how: o.how });
    stages = [parseStage(limits), normalizeStage(normalizeOptionsFor(o.specFor)), validateStage(sft.validate), ...sft.stages];
    kinds = ['record', 'record', 'record', ...sft.kinds];
  }
  const firstObserverAt = kinds.indexOf('observer');
  const firstObserver = firstObserverAt < 0 ? kinds.length : firstObserverAt;
  const late = kinds.findIndex((k, i) => i > firstObserver && k !== 'observer');
  if (late >= 0) {
    throw new UsageError(
      `datasets.${o.name}: ${stages[firstObserver].name} comes before ${stages[late].name}; across ranks, audit, write and export must come after every other stage ` +
        '(they see the final kept records, which only exist once dedup, near_dedup and mix have decided)',
    );
  }
  const g = kinds.indexOf('global');
  return { name: o.name, kind: o.dataset.kind === 'preference' ? 'preference' : 'sft', stages, kinds, firstGlobal: g < 0 ? undefined : g, firstObserver, counterNames: ['read', ...stages.map((s) => s.name)], sft, pairStats, preferenceMix };
}
