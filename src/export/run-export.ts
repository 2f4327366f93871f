import { access, readFile } from 'node:fs/promises';
import { Audit } from '../../schemas/audit.js';
import { UsageError } from '../types.js';
import { VERSION } from '../version.js';
import type { ExportKind, ToolFormat } from './columns.js';
import type { CardOptions } from './card.js';
import { finalizeDataset } from './finalize.js';
import { sha256File, type Manifest } from './manifest.js';
import type { Compression } from './parquet-file.js';
import { readNormalizedJsonl } from './read-normalized.js';
import { ShardWriter, type SplitResult } from './shard-writer.js';
import { parseSize } from './size.js';
import { checkOutputsAgainstInputs } from '../outputs/clash.js';

export interface RunExportOptions {
  inputs: string[];
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
  onReject?: (r: { file: string; line: number; reason: string; message: string }) => void;
}

export interface ExportSummary {
  configs: SplitResult[];
  rejected: number;
  manifest: Manifest;
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

/** The `chatmill export` command body as a library call: read, shard, then write card and manifest. */
export async function runExport(o: RunExportOptions): Promise<ExportSummary> {
  const maxShardBytes = parseSize(o.maxShardSize);
  if (maxShardBytes === null || maxShardBytes <= 0) throw new UsageError(`--max-shard-size: cannot read "${o.maxShardSize}" (try 500MB, 1GB, 100KB)`);
  for (const f of [...o.inputs, ...(o.pipelinePath ? [o.pipelinePath] : [])]) {
    await access(f).catch(() => {
      throw new UsageError(`cannot read ${f}`);
    });
  }
  // The dataset folder is rewritten as a whole: no input (records, audit, pipeline file) may live inside it.
  const read = [...o.inputs, ...(o.auditPath ? [o.auditPath] : []), ...(o.pipelinePath ? [o.pipelinePath] : [])];
  await checkOutputsAgainstInputs(read, [{ path: o.dir, what: '--out', kind: 'dir' }]);
  const audit = o.auditPath ? await readAudit(o.auditPath) : undefined;
  const writers = new Map<ExportKind, ShardWriter>();
  let rejected = 0;
  for (const file of o.inputs) {
    for await (const r of readNormalizedJsonl(file)) {
      if (!r.ok) {
        rejected += 1;
        o.onReject?.({ file, ...r });
        continue;
      }
      let w = writers.get(r.kind);
      if (!w) {
        if (o.config && writers.size > 0) {
          throw new UsageError(`--config ${o.config} names one config, but the inputs hold ${[...writers.keys(), r.kind].join(' and ')} records`);
        }
        const config = o.config ?? r.kind;
        w = new ShardWriter({ dir: o.dir, config, split: o.split, kind: r.kind, maxShardBytes, compression: o.compression, toolFormat: o.toolFormat });
        writers.set(r.kind, w);
      }
      await w.add(r.record);
    }
  }
  if (writers.size === 0) throw new UsageError('no records to export in the inputs');
  const configs: SplitResult[] = [];
  for (const w of writers.values()) configs.push(await w.finish());
  const inputs = [];
  for (const path of o.inputs) inputs.push({ path, sha256: await sha256File(path) });
  const pipeline = o.pipelinePath ? { path: o.pipelinePath, sha256: await sha256File(o.pipelinePath) } : undefined;
  const manifest = await finalizeDataset({
    dir: o.dir,
    configs,
    audit,
    provenance: { chatmillVersion: VERSION, pipeline, inputs },
    card: o.card,
  });
  return { configs, rejected, manifest };
}
