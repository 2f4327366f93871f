import type { Dataset } from '../../schemas/pipeline.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { pairsStage, type PairRecord } from '../pairs/stage.js';
import { PairStatsCollector } from '../pairs/stats.js';
import { tapStage } from '../stage.js';
import { writeJsonlStage } from '../stages/write-jsonl.js';
import { TokenEncoder } from '../tokens/encoder.js';
import { resolveTokenizerFiles } from '../tokens/source.js';
import { exportStageFor, type DatasetExports } from './exports.js';
import type { StageKind } from './sft-stages.js';
import { mixStage, type MixReport } from '../mix/stage.js';
import { mixReportFile } from './planned-outputs.js';

/**
 * A preference dataset: parsed records go straight to the pairs stage (it detects every preference
 * shape itself), then the listed mix/write/export stages. A `tokenize` entry sets the tokenizer used for
 * the pairs' n_*_tokens; `pairs` must come before any stage that needs pairs. Pair statistics
 * (pairs per source, margins, length bias, prompt tokens) describe the pairs that are written: they are
 * collected after the mix when there is one, else right after pairing.
 */
export async function buildPreferenceStages(o: {
  name: string;
  dataset: Dataset;
  /** Where to write an output the pipeline names (relative to `out`): the run's staging area. */
  place: (path: string) => string;
  exports: DatasetExports;
  /** The category each input file's pipeline entry gives (`category:`), by file path. */
  categoryFor?: (source: string) => string | undefined;
  /** The stages are built for their names only and never run (a distributed run's decide and merge): no tokenizer is loaded. */
  namesOnly?: boolean;
}): Promise<{ stages: Stage<any, any>[]; kinds: StageKind[]; stats: PairStatsCollector; mix?: () => MixReport | undefined }> {
  const stages: Stage<any, any>[] = [];
  // Pairing looks at one record at a time; everything after it writes or counts the pairs.
  const kinds: StageKind[] = [];
  const stats = new PairStatsCollector();
  const statsTap = tapStage<PairRecord>('pair-stats', (item) => stats.add(item.value));
  const mixEntry = o.dataset.stages.find((e) => 'mix' in e);
  let mixReport: MixReport | undefined;
  const tokenEntry = o.dataset.stages.find((e) => 'tokenize' in e);
  const tokens = tokenEntry && 'tokenize' in tokenEntry && !o.namesOnly ? new TokenEncoder(await resolveTokenizerFiles({ spec: tokenEntry.tokenize?.tokenizer ?? 'hermes3' })) : undefined;
  let paired = false;
  for (const [i, entry] of o.dataset.stages.entries()) {
    const where = `datasets.${o.name}.stages[${i}]`;
    if ('pairs' in entry) {
      const p = entry.pairs;
      stages.push(pairsStage({ strategy: p?.strategy, minMargin: p?.min_margin, seed: p?.seed, aggregate: p?.aggregate, aspect: p?.aspect, kto: p?.kto, tokens, categoryFor: o.categoryFor }));
      kinds.push('record');
      if (!mixEntry) {
        stages.push(statsTap);
        kinds.push('observer');
      }
      paired = true;
    } else if ('tokenize' in entry) continue;
    else if (!paired) throw new UsageError(`${where}: a preference dataset starts with a pairs stage`);
    else if ('mix' in entry && entry.mix) {
      const options = entry.mix;
      if (!tokenEntry && options.count !== 'records' && options.count !== 'pairs') {
        throw new UsageError(`${where}: a mix counting tokens needs a tokenize entry in this dataset (or count: pairs)`);
      }
      stages.push(mixStage({ options, where, reportPath: o.place(mixReportFile(o.name)), onReport: (r) => (mixReport = r) }));
      stages.push(statsTap);
      kinds.push('global', 'observer');
    }
    else if ('write' in entry && entry.write) {
      stages.push(writeJsonlStage(o.place(entry.write.path)));
      kinds.push('observer');
    } else if ('export' in entry) {
      stages.push(exportStageFor({ exports: o.exports, dataset: o.name, kind: 'dpo', options: entry.export }));
      kinds.push('observer');
    }
    else throw new UsageError(`${where}: ${Object.keys(entry)[0]} is an SFT stage; a preference dataset takes pairs, tokenize, mix, write, export`);
  }
  if (!paired) throw new UsageError(`datasets.${o.name}: a preference dataset needs a pairs stage`);
  return { stages, kinds, stats, mix: mixEntry ? () => mixReport : undefined };
}
