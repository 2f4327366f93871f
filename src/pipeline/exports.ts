import type { z } from 'zod';
import { join } from 'node:path';
import type { ExportOptions } from '../../schemas/pipeline.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { tapStage } from '../stage.js';
import { ShardWriter, type SplitResult } from '../export/shard-writer.js';
import { detectKind, type ExportRecord } from '../export/rows.js';
import type { ExportKind } from '../export/columns.js';
import { parseSize } from '../export/size.js';

/** Every shard writer of a run, so the dataset card and manifest can be written once all have finished. */
export interface DatasetExports {
  dir: string;
  results: SplitResult[];
}

type Options = z.infer<typeof ExportOptions>;

/**
 * An export stage for one dataset. Records are routed by kind: a preference dataset may carry KTO
 * (unpaired) records beside its pairs, and those go to their own config `{config}_kto` (created only
 * when one arrives) instead of breaking the DPO column layout.
 */
export function exportStageFor(o: { exports: DatasetExports; dataset: string; kind: 'sft' | 'dpo'; options: Options | null | undefined }): Stage<ExportRecord, ExportRecord> {
  const options: Options = o.options ?? { split: 'train', max_shard_size: '500MB', compression: 'zstd', tool_format: 'structured' };
  const maxShardBytes = parseSize(options.max_shard_size);
  if (maxShardBytes === null || maxShardBytes <= 0) throw new UsageError(`export.max_shard_size ${JSON.stringify(options.max_shard_size)} is not a size like 500MB`);
  const config = options.config ?? o.dataset;
  const writers = new Map<ExportKind, ShardWriter>();
  const writerFor = (kind: ExportKind) => {
    let w = writers.get(kind);
    if (!w) {
      const name = kind === o.kind || kind === 'sft' ? config : `${config}_${kind}`;
      w = new ShardWriter({ dir: o.exports.dir, config: name, split: options.split, kind, maxShardBytes, compression: options.compression, toolFormat: options.tool_format });
      writers.set(kind, w);
    }
    return w;
  };
  writerFor(o.kind); // the main config exists even when no record reaches it
  return tapStage<ExportRecord>(
    `export:${config}`,
    (item) => writerFor(o.kind === 'sft' ? 'sft' : (detectKind(item.value) ?? 'dpo')).add(item.value),
    async () => {
      for (const w of writers.values()) o.exports.results.push(await w.finish());
    },
  );
}

export const datasetDir = (out: string): string => join(out, 'dataset');
