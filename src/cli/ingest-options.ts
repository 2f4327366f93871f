import type { Argv } from 'yargs';
import type { IngestParams } from '../ingest.js';
import { UsageError } from '../types.js';

/** Options every record-reading command shares (validate, convert, audit, pairs). */
export function withIngestOptions<T>(y: Argv<T>) {
  return y
    .positional('inputs', { type: 'string', array: true, describe: 'files, directories, globs, or - for stdin' })
    .option('format', { type: 'string', default: 'auto', describe: 'force a format for every input (see `chatmill formats`)' })
    .option('rejects', { type: 'string', describe: 'write rejected records here (JSONL: source, index, reason, message, path, raw)' })
    .option('dropped', { type: 'string', describe: 'write dropped records here (JSONL, with duplicate_of for duplicates)' })
    .option('dedup', { type: 'boolean', default: false, describe: 'drop exact duplicates (same normalized messages and tools)' })
    .option('trim-whitespace', { type: 'boolean', default: false, describe: 'strip leading/trailing whitespace from turns (changes token counts)' })
    .option('max-record-bytes', { type: 'number', default: 64 * 1024 * 1024, describe: 'reject records larger than this' })
    .option('max-depth', { type: 'number', default: 100, describe: 'reject JSON nested deeper than this' })
    .option('long-turn-chars', { type: 'number', default: 20_000, describe: 'warn about turns longer than this many characters' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' });
}

export interface IngestArgs {
  inputs?: string[];
  format: string;
  rejects?: string;
  dropped?: string;
  dedup: boolean;
  'trim-whitespace': boolean;
  'max-record-bytes': number;
  'max-depth': number;
  'long-turn-chars': number;
}

export function ingestParamsFrom(args: IngestArgs): IngestParams {
  const inputs = args.inputs ?? [];
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
    rejectsPath: args.rejects,
    droppedPath: args.dropped,
  };
}
