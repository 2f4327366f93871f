import { access, readFile } from 'node:fs/promises';
import { Audit } from '../../schemas/audit.js';
import { runIngest, resolveInputs, type IngestParams, type InputSpec } from '../ingest.js';
import type { Summary } from '../tally.js';
import { UsageError } from '../types.js';
import { VERSION } from '../version.js';
import { tapStage } from '../stage.js';
import type { ExportKind, ToolFormat } from './columns.js';
import type { CardOptions } from './card.js';
import { exportLanes } from './lanes.js';
import { finalizeDataset } from './finalize.js';
import { sha256File, type Manifest } from './manifest.js';
import type { Compression } from './parquet-file.js';
import { detectKind, type ExportRecord } from './rows.js';
import { ShardWriter, type SplitResult } from './shard-writer.js';
import { parseSize } from './size.js';
import { checkOutputsAgainstInputs } from '../outputs/clash.js';

/** How records are read, checked and curated: exactly `convert`'s options (format, limits, dedup...). */
export type ExportIngest = Omit<IngestParams, 'inputs' | 'outputs' | 'recordStages' | 'extraStages' | 'sinks' | 'tally' | 'label' | 'onOutput'>;

export interface RunExportOptions {
  /** Files, directories, globs or `-`, in any shape `convert` or `pairs` reads. */
  inputs: (string | InputSpec)[];
  ingest?: ExportIngest;
  dir: string;
  /** One config name for all records; by default each kind gets its own config named after it. */
  config?: string;
  split: string;
  maxShardSize: string;
  compression: Compression;
  /** How SFT tool calls are written: TRL `tool_calls` (default) or Hermes text in `content`. */
  toolFormat?: ToolFormat;
  auditPath?: string;
  pipelinePath?: string;
  card?: Pick<CardOptions, 'repoId' | 'title' | 'license' | 'language'>;
}

export interface ExportSummary {
  configs: SplitResult[];
  rejected: number;
  /** Absent when no record was left to export: then nothing in the dataset folder was touched. */
  manifest?: Manifest;
  /** The run summary every reading command prints (per file, reasons, warnings). */
  summary: Summary;
  /** Damaged input files (truncated_file, corrupt_file) by reason. */
  fileFaults: Record<string, number>;
}

async function readAudit(path: string): Promise<Audit> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read audit ${path}: ${(err as Error).message}`);
  }
  const parsed = Audit.safeParse(json);
  if (!parsed.success) throw new UsageError(`${path} is not an audit.json: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/**
 * The `chatmill export` command body as a library call. Records are read exactly as `convert` reads them
 * (read → parse → normalize → validate, plus the curation options); chatmill's own records (what `convert`,
 * `pairs` and `run` write) keep their fields, and raw preference data is paired as `pairs` pairs it
 * (src/export/lanes.ts). Every kept record is written to the shards of its kind; then card and manifest.
 */
export async function runExport(o: RunExportOptions): Promise<ExportSummary> {
  const maxShardBytes = parseSize(o.maxShardSize);
  if (maxShardBytes === null || maxShardBytes <= 0) throw new UsageError(`--max-shard-size: cannot read "${o.maxShardSize}" (try 500MB, 1GB, 100KB)`);
  if (o.pipelinePath) {
    const path = o.pipelinePath;
    await access(path).catch(() => {
      throw new UsageError(`cannot read ${path}`);
    });
  }
  // The dataset folder is rewritten as a whole: no input (records, audit, pipeline file) may live inside it.
  const { files } = await resolveInputs(o.inputs);
  const dirOutput = { path: o.dir, what: '--out', kind: 'dir' as const };
  const sideInputs = [...(o.auditPath ? [o.auditPath] : []), ...(o.pipelinePath ? [o.pipelinePath] : [])];
  if (sideInputs.length) await checkOutputsAgainstInputs(sideInputs, [dirOutput]);
  const audit = o.auditPath ? await readAudit(o.auditPath) : undefined;

  const writers = new Map<ExportKind, ShardWriter>();
  const writerFor = (kind: ExportKind): ShardWriter => {
    let w = writers.get(kind);
    if (!w) {
      if (o.config && writers.size > 0) {
        throw new UsageError(`--config ${o.config} names one config, but the inputs hold ${[...writers.keys(), kind].join(' and ')} records`);
      }
      w = new ShardWriter({ dir: o.dir, config: o.config ?? kind, split: o.split, kind, maxShardBytes, compression: o.compression, toolFormat: o.toolFormat });
      writers.set(kind, w);
    }
    return w;
  };
  const write = tapStage<ExportRecord>('export', (item) => writerFor(detectKind(item.value) ?? 'sft').add(item.value));

  const tally = await runIngest({
    ...o.ingest,
    inputs: o.inputs,
    outputs: [dirOutput],
    recordStages: (sft) => exportLanes(sft),
    extraStages: [write],
  });
  const summary = tally.summary();
  if (writers.size === 0) return { configs: [], rejected: summary.rejected, summary, fileFaults: tally.fileFaults() };
  const configs: SplitResult[] = [];
  for (const w of writers.values()) configs.push(await w.finish());
  const inputs = [];
  for (const path of files.filter((f) => f !== '-')) inputs.push({ path, sha256: await sha256File(path) });
  const pipeline = o.pipelinePath ? { path: o.pipelinePath, sha256: await sha256File(o.pipelinePath) } : undefined;
  const manifest = await finalizeDataset({
    dir: o.dir,
    configs,
    audit,
    provenance: { chatmillVersion: VERSION, pipeline, inputs },
    card: o.card,
  });
  return { configs, rejected: summary.rejected, manifest, summary, fileFaults: tally.fileFaults() };
}
