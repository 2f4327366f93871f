import type { Dataset } from '../../schemas/pipeline.js';
import type { Conversation } from '../../schemas/chatml.js';
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
import type { z } from 'zod';
import { NearDedupOptions, type TokenizeOptions } from '../../schemas/pipeline.js';
import { mixReportFile } from './planned-outputs.js';
import { jsonModeStage } from '../checks/json-mode.js';
import { toolArgumentsStage } from '../checks/tool-arguments.js';
import { refusalsStage } from '../checks/refusals.js';
import { jsonModeSettingsFrom, refusalSettingsFrom } from '../checks/options.js';
import { CurationLog } from '../checks/curation-log.js';
import { DecontaminateOptions as DecontaminateDefaults, JsonModeOptions as JsonModeDefaults, RefusalsOptions as RefusalsDefaults } from '../../schemas/pipeline.js';

/**
 * What a stage does, for a run over several ranks (src/distributed/): `record` decides each record alone;
 * `global` needs every record before it (dedup, near_dedup, mix: run as collect / decide / apply);
 * `observer` writes or counts the kept stream without changing it (audit, write, export).
 */
export type StageKind = 'record' | 'global' | 'observer';

/** How a build is used: a rank of a distributed run replaces some pieces (src/distributed/phases.ts). */
export interface BuildHow {
  /** Tokenizer worker threads (default CHATMILL_WORKERS or one per CPU). */
  workers?: number;
  /** About how many tokens the inputs hold (expectedTokensOfFiles): a big input starts its tokenize workers at once. */
  expectedTokens?: number;
  /** Told about each over-length record instead of the audit accumulator. */
  onOverLength?: (conv: Conversation) => void;
  /** Build stages only for their names and settings: decontaminate does not load its benchmarks. */
  namesOnly?: boolean;
  /**
   * Instead of `load` (loading a tokenize entry's tokenizer): the decide and merge phases of a distributed run
   * only replay counts, and a map rank notes what it loaded for them (src/distributed/tokenizer-identity.ts).
   */
  tokenizing?: (options: z.infer<typeof TokenizeOptions> | null | undefined, load: () => Promise<Tokenizing>) => Promise<Tokenizing>;
}

/** What an SFT dataset's stages leave behind for the end of the run. */
export interface SftBuild {
  stages: Stage<any, any>[];
  /** The kind of each stage in `stages`. */
  kinds: StageKind[];
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
  how?: BuildHow;
}): Promise<SftBuild> {
  const build: SftBuild = { stages: [], kinds: [], validate: { trimWhitespace: false, longTurnChars: 20_000 }, audits: [], curation: new CurationLog() };
  const log = build.curation;
  const how = o.how ?? {};
  const add = (stage: Stage<any, any>, kind: StageKind) => {
    build.stages.push(stage);
    build.kinds.push(kind);
  };
  let tokenizing: Tokenizing | undefined;
  for (const [i, entry] of o.dataset.stages.entries()) {
    const where = `datasets.${o.name}.stages[${i}]`;
    if ('validate' in entry) {
      const v = entry.validate ?? { trim_whitespace: false, long_turn_chars: 20_000 };
      build.validate = { trimWhitespace: v.trim_whitespace, longTurnChars: v.long_turn_chars };
    } else if ('dedup' in entry) add(log.watch(dedupStage(), {}), 'global');
    else if ('near_dedup' in entry) {
      const options = entry.near_dedup ?? NearDedupOptions.parse({});
      add(log.watch(nearDedupStage(nearDedupSettingsFrom(options)), shown(options)), 'global');
    } else if ('decontaminate' in entry && entry.decontaminate) {
      const options = DecontaminateDefaults.parse(entry.decontaminate);
      add(log.watch(how.namesOnly ? unbuiltStage('decontaminate') : await decontaminateStage(decontaminateSettingsFrom(options)), shown(options)), 'record');
    } else if ('json_mode' in entry) add(log.watch(jsonModeStage(jsonModeSettingsFrom(entry.json_mode)), shown(entry.json_mode ?? JsonModeDefaults.parse({}))), 'record');
    else if ('tool_arguments' in entry) add(log.watch(toolArgumentsStage(), {}), 'record');
    else if ('refusals' in entry) add(log.watch(refusalsStage(refusalSettingsFrom(entry.refusals)), shown(entry.refusals ?? RefusalsDefaults.parse({}))), 'record');
    else if ('tokenize' in entry) {
      const options = entry.tokenize;
      const load = () => loadTokenizing(options, o.hubUrl, { workers: how.workers, onOverLength: how.onOverLength, expectedTokens: how.expectedTokens });
      tokenizing = how.tokenizing ? await how.tokenizing(options, load) : await load();
      add(tokenizing.stage, 'record');
    } else if ('audit' in entry) {
      if (!tokenizing) throw new UsageError(`${where}: an audit stage needs a tokenize stage before it`);
      const a = entry.audit ?? { target_response_share: 0.69, dir: '.' };
      add(auditStage(tokenizing.accumulator), 'observer');
      build.audits.push({ accumulator: tokenizing.accumulator, dir: a.dir, targetResponseShare: a.target_response_share, maxLength: tokenizing.maxLength });
    } else if ('mix' in entry && entry.mix) {
      if (!tokenizing) throw new UsageError(`${where}: a mix stage needs a tokenize stage before it`);
      add(mixStage({ options: entry.mix, where, reportPath: o.place(mixReportFile(o.name)), onReport: (r) => (build.mix = r) }), 'global');
    } else if ('write' in entry && entry.write) add(writeJsonlStage(o.place(entry.write.path)), 'observer');
    else if ('export' in entry) add(exportStageFor({ exports: o.exports, dataset: o.name, kind: 'sft', options: entry.export }), 'observer');
    else if ('pairs' in entry) throw new UsageError(`${where}: pairs belongs in a dataset with kind: preference`);
  }
  return build;
}

/** A stand-in that keeps a stage's name where only the names are needed; running it is a bug. */
function unbuiltStage(name: string): Stage<any, any> {
  return {
    name,
    run() {
      throw new Error(`${name}: this stage was built for its name only`);
    },
  };
}
