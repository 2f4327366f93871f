import type { Dataset } from '../../schemas/pipeline.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { dedupStage } from '../stages/dedup.js';
import { writeJsonlStage } from '../stages/write-jsonl.js';
import { AuditAccumulator, auditStage } from '../tokens/audit.js';
import { loadTokenizing, type Tokenizing } from './tokenizing.js';
import { exportStageFor, type DatasetExports } from './exports.js';
import { mixStage, type MixReport } from '../mix/stage.js';
import { nearDedupStage } from '../curate/near-dedup.js';
import { decontaminateStage } from '../curate/decontaminate.js';
import { decontaminateSettingsFrom, nearDedupSettingsFrom } from '../curate/options.js';
import { NearDedupOptions } from '../../schemas/pipeline.js';
import { mixReportFile } from './planned-outputs.js';
import { jsonModeStage } from '../checks/json-mode.js';
import { toolArgumentsStage } from '../checks/tool-arguments.js';
import { refusalsStage } from '../checks/refusals.js';
import { jsonModeSettingsFrom, refusalSettingsFrom } from '../checks/options.js';
import { CurationLog } from '../checks/curation-log.js';
import { DecontaminateOptions as DecontaminateDefaults, JsonModeOptions as JsonModeDefaults, RefusalsOptions as RefusalsDefaults } from '../../schemas/pipeline.js';

/** What an SFT dataset's stages leave behind for the end of the run. */
export interface SftBuild {
  stages: Stage<any, any>[];
  validate: { trimWhitespace: boolean; longTurnChars: number };
  /** `dir` is the audit's folder as the pipeline names it (relative to `out` unless absolute). */
  audits: { accumulator: AuditAccumulator; dir: string; targetResponseShare: number; maxLength: number }[];
  /** Filled in by a `mix` stage once it has decided. */
  mix?: MixReport;
  /** What the curation stages (dedup, near_dedup, decontaminate, the content checks) did, for the reports. */
  curation: CurationLog;
}

/** A stage's options as the reports show them: defaults filled in, unset ones left out. */
const shown = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * The stages listed for an SFT dataset, in order, after the implicit parse → normalize → validate.
 * A `validate` entry only sets the validation options; `audit` needs a `tokenize` before it.
 */
export async function buildSftStages(o: {
  name: string;
  dataset: Dataset;
  /** Where to write an output the pipeline names (relative to `out`): the run's staging area. */
  place: (path: string) => string;
  exports: DatasetExports;
  hubUrl?: string;
}): Promise<SftBuild> {
  const build: SftBuild = { stages: [], validate: { trimWhitespace: false, longTurnChars: 20_000 }, audits: [], curation: new CurationLog() };
  const log = build.curation;
  let tokenizing: Tokenizing | undefined;
  for (const [i, entry] of o.dataset.stages.entries()) {
    const where = `datasets.${o.name}.stages[${i}]`;
    if ('validate' in entry) {
      const v = entry.validate ?? { trim_whitespace: false, long_turn_chars: 20_000 };
      build.validate = { trimWhitespace: v.trim_whitespace, longTurnChars: v.long_turn_chars };
    } else if ('dedup' in entry) build.stages.push(log.watch(dedupStage(), {}));
    else if ('near_dedup' in entry) {
      const options = entry.near_dedup ?? NearDedupOptions.parse({});
      build.stages.push(log.watch(nearDedupStage(nearDedupSettingsFrom(options)), shown(options)));
    } else if ('decontaminate' in entry && entry.decontaminate) {
      const options = DecontaminateDefaults.parse(entry.decontaminate);
      build.stages.push(log.watch(await decontaminateStage(decontaminateSettingsFrom(options)), shown(options)));
    } else if ('json_mode' in entry) build.stages.push(log.watch(jsonModeStage(jsonModeSettingsFrom(entry.json_mode)), shown(entry.json_mode ?? JsonModeDefaults.parse({}))));
    else if ('tool_arguments' in entry) build.stages.push(log.watch(toolArgumentsStage(), {}));
    else if ('refusals' in entry) build.stages.push(log.watch(refusalsStage(refusalSettingsFrom(entry.refusals)), shown(entry.refusals ?? RefusalsDefaults.parse({}))));
    else if ('tokenize' in entry) {
      tokenizing = await loadTokenizing(entry.tokenize, o.hubUrl);
      build.stages.push(tokenizing.stage);
    } else if ('audit' in entry) {
      if (!tokenizing) throw new UsageError(`${where}: an audit stage needs a tokenize stage before it`);
      const a = entry.audit ?? { target_response_share: 0.69, dir: '.' };
      build.stages.push(auditStage(tokenizing.accumulator));
      build.audits.push({ accumulator: tokenizing.accumulator, dir: a.dir, targetResponseShare: a.target_response_share, maxLength: tokenizing.maxLength });
    } else if ('mix' in entry && entry.mix) {
      if (!tokenizing) throw new UsageError(`${where}: a mix stage needs a tokenize stage before it`);
      build.stages.push(mixStage({ options: entry.mix, where, reportPath: o.place(mixReportFile(o.name)), onReport: (r) => (build.mix = r) }));
    } else if ('write' in entry && entry.write) build.stages.push(writeJsonlStage(o.place(entry.write.path)));
    else if ('export' in entry) build.stages.push(exportStageFor({ exports: o.exports, dataset: o.name, kind: 'sft', options: entry.export }));
    else if ('pairs' in entry) throw new UsageError(`${where}: pairs belongs in a dataset with kind: preference`);
  }
  return build;
}
