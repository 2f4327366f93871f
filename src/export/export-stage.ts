import type { Stage } from '../types.js';
import { tapStage } from '../stage.js';
import { ShardWriter, type ShardWriterOptions, type SplitResult } from './shard-writer.js';
import type { ExportRecord } from './rows.js';

export type ExportStageOptions = ShardWriterOptions;

/** The stage plus a way to read what it wrote once the runner has called `finish()`. */
export interface ExportStage extends Stage<ExportRecord, ExportRecord> {
  /** The shards written; throws if called before `finish()` completed. */
  result(): SplitResult;
}

/**
 * A pipeline stage that writes every kept record to Parquet shards on the way and passes it on unchanged.
 * `finish()` closes the last shard and renames the shards to their final `-of-N` names; hand the result(s) of
 * all export stages to `finalizeDataset` to write the manifest and the dataset card.
 */
export function exportStage(opts: ExportStageOptions): ExportStage {
  const writer = new ShardWriter(opts);
  let written: SplitResult | null = null;
  const stage = tapStage<ExportRecord>(
    `export:${opts.config}/${opts.split}`,
    (item) => writer.add(item.value),
    async () => {
      written = await writer.finish();
    },
  );
  return {
    ...stage,
    result() {
      if (!written) throw new Error(`export stage ${opts.config}/${opts.split} has not finished`);
      return written;
    },
  };
}
