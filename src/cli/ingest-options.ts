import type { Argv } from 'yargs';
import type { IngestParams } from '../ingest.js';
import { UsageError } from '../types.js';
import { printReject } from './verbose.js';

/** Options every record-reading command shares (validate, convert, audit, pairs). */
export function withIngestOptions<T>(y: Argv<T>) {
  return y
    .positional('inputs', { type: 'string', array: true, describe: 'files, directories, globs, or - for stdin' })
    .option('format', { type: 'string', default: 'auto', describe: 'force a format for every input (see `chatmill formats`)' })
    .option('rejects', { type: 'string', describe: 'write rejected records here (JSONL: source, index, reason, message, path, raw)' })
    .option('dropped', { type: 'string', describe: 'write dropped records here (JSONL, with duplicate_of for duplicates)' })
    .option('dedup', { type: 'boolean', default: false, describe: 'drop exact duplicates (same normalized messages and tools)' })
    .option('near-dedup', {
      type: 'string',
      describe: 'drop near-duplicates: exact Jaccard of word 5-grams of user+assistant turns at or above THRESHOLD (default 0.8; docs/curation.md)',
    })
    .option('decontaminate', {
      type: 'string',
      array: true,
      describe: 'benchmark files: drop records whose user turns contain their items (Tulu 3 rule; put inputs first, or repeat --decontaminate=FILE)',
    })
    .option('decontaminate-mode', { choices: ['drop', 'report'] as const, default: 'drop' as const, describe: 'report keeps contaminated records and counts the warning contaminated' })
    .option('json-mode', { type: 'boolean', default: false, describe: 'reject assistant answers that are not JSON or break the JSON schema their record gives (<schema> in the system prompt, or meta.json_schema)' })
    .option('tool-arguments', { type: 'boolean', default: false, describe: "reject tool calls whose arguments break the tool's parameters schema, and tool results naming no earlier call" })
    .option('refusals', { type: 'boolean', default: false, describe: 'count assistant refusals and "As an AI language model" self-references as warnings (docs/curation.md lists the phrases)' })
    .option('drop-refusals', { type: 'boolean', default: false, describe: 'drop refusing records (reason refusal); implies --refusals' })
    .option('trim-whitespace', { type: 'boolean', default: false, describe: 'strip leading/trailing whitespace from turns (changes token counts)' })
    .option('max-record-bytes', { type: 'number', default: 64 * 1024 * 1024, describe: 'reject records larger than this' })
    .option('max-depth', { type: 'number', default: 100, describe: 'reject JSON nested deeper than this' })
    .option('long-turn-chars', { type: 'number', default: 20_000, describe: 'warn about turns longer than this many characters' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' })
    .option('verbose', { type: 'boolean', default: false, describe: 'also list every rejected record on stderr (the summary counts them by reason)' });
}

export interface IngestArgs {
  inputs?: string[];
  format: string;
  rejects?: string;
  dropped?: string;
  dedup: boolean;
  'near-dedup'?: string;
  decontaminate?: string[];
  'decontaminate-mode': 'drop' | 'report';
  'json-mode'?: boolean;
  'tool-arguments'?: boolean;
  refusals?: boolean;
  'drop-refusals'?: boolean;
  'trim-whitespace': boolean;
  'max-record-bytes': number;
  'max-depth': number;
  'long-turn-chars': number;
  verbose?: boolean;
}

export function ingestParamsFrom(args: IngestArgs): IngestParams {
  const inputs = [...(args.inputs ?? [])];
  const nearDedup = nearDedupThreshold(args['near-dedup'], inputs);
  if (!inputs.length) throw new UsageError('name at least one input file, directory, glob, or - for stdin');
  // yargs turns `abc` into NaN and accepts -1: every count must be checked here, or it is silently used.
  for (const [name, v] of [
    ['--max-record-bytes', args['max-record-bytes']],
    ['--max-depth', args['max-depth']],
    ['--long-turn-chars', args['long-turn-chars']],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new UsageError(`${name} must be a positive whole number`);
  }
  return {
    inputs: inputs.map((path) => ({ path, format: args.format })),
    limits: { maxRecordBytes: args['max-record-bytes'], maxDepth: args['max-depth'] },
    validate: { trimWhitespace: args['trim-whitespace'], longTurnChars: args['long-turn-chars'] },
    dedup: args.dedup,
    checks: {
      jsonMode: args['json-mode'] ? {} : undefined,
      toolArguments: args['tool-arguments'] === true,
      refusals: args.refusals || args['drop-refusals'] ? { dropRefusals: args['drop-refusals'] === true } : undefined,
    },
    nearDedup: nearDedup === undefined ? undefined : { threshold: nearDedup },
    decontaminate: args.decontaminate?.length ? { benchmarks: args.decontaminate, mode: args['decontaminate-mode'] } : undefined,
    rejectsPath: args.rejects,
    droppedPath: args.dropped,
    ...(args.verbose ? { onReject: printReject } : {}),
  };
}

/**
 * `--near-dedup` takes an optional threshold. Given bare (`--near-dedup data.jsonl`), yargs hands it the next
 * word: a value that is not a number is then an input, given back to the list, and the threshold is 0.8.
 */
function nearDedupThreshold(value: string | undefined, inputs: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return 0.8;
  const n = Number(value);
  if (/^\s*[0-9.]+\s*$/.test(value) && Number.isFinite(n)) {
    if (!(n > 0 && n <= 1)) throw new UsageError(`--near-dedup: the threshold must be a Jaccard similarity in (0, 1], got ${value}`);
    return n;
  }
  inputs.unshift(value);
  return 0.8;
}
