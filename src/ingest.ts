import type { Keep, Rejected, Stage } from './types.js';
import type { NormalizeOptions } from './formats/normalize.js';
import type { ColumnMapping } from './formats/adapter.js';
import { basename } from 'node:path';
import { runPipeline, type Sinks } from './run.js';
import { Tally } from './tally.js';
import { fileSinks } from './sinks.js';
import { expandInputs, readInputs, DEFAULT_LIMITS, type ReadLimits } from './read/index.js';
import { parseStage } from './stages/parse.js';
import { normalizeStage } from './stages/normalize.js';
import { validateStage, type ValidateStageOptions } from './stages/validate.js';
import { dedupStage } from './stages/dedup.js';
import { decontaminateStage, type DecontaminateOptions } from './curate/decontaminate.js';
import { nearDedupStage, type NearDedupOptions } from './curate/near-dedup.js';
import { contentCheckStages, type ContentChecks } from './checks/stages.js';
import { checkOutputsAgainstInputs, type PlannedOutput } from './outputs/clash.js';
import { renameColumnsStage } from './pairs/columns.js';

/** One input as a user names it: a path, directory, glob or `-`, with optional per-input settings. */
export interface InputSpec extends ColumnMapping {
  path: string;
  /** Force a format instead of detecting it per record (`auto` detects). */
  format?: string;
  /** Category for records that carry none. */
  category?: string;
}

export interface IngestParams {
  inputs: (string | InputSpec)[];
  limits?: Partial<ReadLimits>;
  validate?: ValidateStageOptions;
  /** Drop exact duplicates (same normalized messages) to dropped.jsonl. */
  dedup?: boolean;
  /** Drop records containing benchmark items (Tulu 3's 8-gram rule), after dedup. */
  decontaminate?: DecontaminateOptions;
  /** Drop near-duplicates (MinHash LSH, exact Jaccard check), after decontamination. */
  nearDedup?: NearDedupOptions;
  /** Content checks (JSON mode, tool arguments, refusals), after validation and before dedup. */
  checks?: ContentChecks;
  /** Categories by source file path or file name, for records that carry none. */
  categoryBySource?: Record<string, string>;
  /** Stages after validation (and dedup): tokenize, audit, write, export... */
  extraStages?: Stage<any, any>[];
  /**
   * Replace the standard SFT normalize/validate/dedup stages (the preference pipeline parses the
   * same containers but builds pairs instead of conversations). An input's `columns` then rename its
   * records' top-level fields before these stages see them. A function gets the standard SFT stages to
   * build on (export routes preference records around them).
   */
  recordStages?: Stage<any, any>[] | ((sftStages: Stage<any, any>[]) => Stage<any, any>[]);
  rejectsPath?: string;
  droppedPath?: string;
  /**
   * Files the caller will write besides rejects/dropped (`-o`, `--stats`...): checked against the inputs
   * before anything is opened, so an output that is an input is a usage error and the input stays intact.
   */
  outputs?: PlannedOutput[];
  /** Shared sinks (a pipeline run writes every dataset's rejects to one file); overrides the paths. */
  sinks?: Sinks;
  tally?: Tally;
  /** Prefix for stage counters when several runs share a tally (pipeline dataset name). */
  label?: string;
  /** Told about every record read (drives a progress display). */
  onRead?: () => void;
  /** Told about every reject as it happens (`--verbose` lists them on stderr). */
  onReject?: (r: Rejected, stage: string) => void;
  onOutput?: (item: Keep<unknown>) => void | Promise<void>;
}

/** Expand inputs to files, remembering which spec each file came from. */
export async function resolveInputs(inputs: (string | InputSpec)[]): Promise<{ files: string[]; specFor: Map<string, InputSpec> }> {
  const specFor = new Map<string, InputSpec>();
  const files: string[] = [];
  for (const input of inputs) {
    const spec = typeof input === 'string' ? { path: input } : input;
    for (const file of await expandInputs([spec.path])) {
      if (!specFor.has(file)) files.push(file);
      specFor.set(file, spec);
    }
  }
  return { files, specFor };
}

/**
 * The foundation run: read every input, parse, normalize to ChatML, validate, optionally dedup, then
 * the caller's stages. Rejects and drops go to their files; conservation is checked per input file.
 */
export async function runIngest(params: IngestParams): Promise<Tally> {
  const limits = { ...DEFAULT_LIMITS, ...params.limits };
  const { files, specFor } = await resolveInputs(params.inputs);
  await checkOutputsAgainstInputs(files, [
    ...(params.outputs ?? []),
    ...(params.rejectsPath ? [{ path: params.rejectsPath, what: '--rejects' }] : []),
    ...(params.droppedPath ? [{ path: params.droppedPath, what: '--dropped' }] : []),
  ]);
  const tally = params.tally ?? new Tally();
  const optionsFor = (source: string): NormalizeOptions => {
    const spec = specFor.get(source);
    const map = params.categoryBySource ?? {};
    // Own keys only: a file named `constructor` must not pick up Object.prototype.constructor.
    const mapped = (key: string) => (Object.hasOwn(map, key) && typeof map[key] === 'string' ? map[key] : undefined);
    const category = spec?.category ?? mapped(source) ?? mapped(basename(source));
    return { format: spec?.format, mapping: { columns: spec?.columns, roles: spec?.roles }, category };
  };
  const sftStages = async () => [
    normalizeStage(optionsFor),
    validateStage(params.validate),
    ...contentCheckStages(params.checks),
    ...(params.dedup ? [dedupStage()] : []),
    // Decontaminate first, so a contaminated record never becomes the kept record of a near-duplicate group.
    ...(params.decontaminate ? [await decontaminateStage(params.decontaminate)] : []),
    ...(params.nearDedup ? [nearDedupStage(params.nearDedup)] : []),
  ];
  const given = params.recordStages;
  const recordStages =
    given === undefined
      ? await sftStages()
      : typeof given === 'function'
        ? given(await sftStages())
        : [...(files.some((f) => specFor.get(f)?.columns) ? [renameColumnsStage((s) => specFor.get(s)?.columns)] : []), ...given];
  const own = params.sinks ? undefined : fileSinks({ rejects: params.rejectsPath, dropped: params.droppedPath });
  const givenSinks = params.sinks ?? own!;
  const onReject = params.onReject;
  const sinks: Sinks = onReject ? { reject: (r, stage) => (onReject(r, stage), givenSinks.reject(r, stage)), drop: (d, stage) => givenSinks.drop(d, stage) } : givenSinks;
  let ok = false;
  try {
    await runPipeline({
      source: readInputs(files, { limits, onFile: (f) => tally.file(f) }),
      stages: [parseStage(limits), ...recordStages, ...(params.extraStages ?? [])],
      sinks,
      tally,
      onOutput: params.onOutput,
      label: params.label,
      onRead: params.onRead,
    });
    ok = true;
  } finally {
    // A failed run leaves the previous rejects/dropped files as they were.
    await (ok ? own?.close() : own?.abort());
  }
  return tally;
}
