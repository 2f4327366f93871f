import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Schema } from 'apache-arrow';
import { VERSION } from '../version.js';
import { columnsFor, type ColumnSpec, type ExportKind, type ToolFormat } from './columns.js';
import { arrowSchema } from './arrow-schema.js';
import { BatchBuilder } from './arrow-batch.js';
import { huggingfaceMetadata } from './features.js';
import { ParquetFile, type Compression } from './parquet-file.js';
import { columnGetters, type ExportRecord } from './rows.js';
import { MB } from './size.js';
import { invalidateManifest } from './manifest.js';

export interface ShardWriterOptions {
  /** Dataset root; shards go to `DIR/data/{config}/`. */
  dir: string;
  config: string;
  split: string;
  kind: ExportKind;
  /** How SFT tool calls are written (columns.ts); default `structured`. */
  toolFormat?: ToolFormat;
  /** Upper bound of one shard's uncompressed (Arrow) bytes. A single larger row still gets a shard of its own. */
  maxShardBytes: number;
  /** Upper bound of one row group's uncompressed bytes (default 100 MB). */
  maxRowGroupBytes?: number;
  compression: Compression;
}

export interface ShardFile {
  /** Relative to the dataset root, POSIX separators. */
  path: string;
  rows: number;
  /** Uncompressed (Arrow) bytes. */
  bytes: number;
}

/** What one config/split export produced; the card and manifest are built from these. */
export interface SplitResult {
  config: string;
  split: string;
  kind: ExportKind;
  /** The tool format the config was written with (its columns follow from kind and this). */
  toolFormat: ToolFormat;
  numRows: number;
  numBytes: number;
  files: ShardFile[];
}

const pad = (n: number) => String(n).padStart(5, '0');
export const shardName = (split: string, i: number, n: number) => `${split}-${pad(i)}-of-${pad(n)}.parquet`;

/**
 * Streams records into size-bounded Parquet shards. Rows are buffered for one row group only. Shards are written
 * under hidden temporary names (`.partial` while open); only `finish()` renames them to `{split}-i-of-N.parquet`,
 * when N is known, after removing that split's shards from an earlier run.
 */
/** No row group may exceed this many uncompressed bytes (the Hub viewer pages by row group). */
const ROW_GROUP_HARD_CAP = 100 * MB;

export class ShardWriter {
  private readonly columns: readonly ColumnSpec[];
  private readonly schema: Schema;
  private readonly folder: string;
  private readonly maxRowGroupBytes: number;
  /** The open row group's rows, already in Arrow buffers. */
  private readonly buffer: BatchBuilder<ExportRecord>;
  private bufferBytes = 0;
  private file: ParquetFile | null = null;
  private shardRows = 0;
  private shardBytes = 0;
  private readonly done: ShardFile[] = [];
  private readonly tempNames: string[] = [];

  constructor(private readonly opts: ShardWriterOptions) {
    if (!/^[A-Za-z0-9_.-]+$/.test(opts.config) || !/^[A-Za-z0-9_.-]+$/.test(opts.split) || opts.config.startsWith('.')) {
      throw new Error(`config and split names may use letters, digits, '_', '-', '.' only (got ${opts.config}/${opts.split})`);
    }
    this.columns = columnsFor(opts.kind, opts.toolFormat);
    this.schema = arrowSchema(this.columns);
    this.buffer = new BatchBuilder(this.schema, columnGetters(this.columns));
    this.folder = join(opts.dir, 'data', opts.config);
    this.maxRowGroupBytes = Math.min(opts.maxRowGroupBytes ?? 32 * MB, ROW_GROUP_HARD_CAP);
  }

  private meta() {
    return {
      compression: this.opts.compression,
      schema: this.schema,
      keyValueMetadata: { huggingface: huggingfaceMetadata(this.columns) },
      createdBy: `chatmill version ${VERSION}`,
    };
  }

  private tempName(i: number) {
    return `.${this.opts.split}-${pad(i)}.parquet`;
  }

  /**
   * Add one row. A promise only when the row starts a new row group or shard (the last one is then written first),
   * so the common row costs no microtask; await whatever it returns before the next add.
   */
  add(record: ExportRecord): Promise<void> | undefined {
    // The row goes into the Arrow buffers first, which measures it; if it belongs to the next row group or
    // shard, it is taken back out, the group is written, and it is appended again.
    const before = this.buffer.length;
    const bytes = this.buffer.append(record);
    const cut = this.cutBefore(bytes, before);
    if (!cut) {
      this.counted(bytes);
      return undefined;
    }
    this.buffer.truncate(before);
    return (cut === 'shard' ? this.closeShard() : this.flushRowGroup()).then(() => {
      this.buffer.append(record);
      this.counted(bytes);
    });
  }

  private counted(bytes: number): void {
    this.bufferBytes += bytes;
    this.shardRows += 1;
    this.shardBytes += bytes;
  }

  /** Whether a row of `bytes` must start a new shard or row group, given `buffered` rows before it. */
  private cutBefore(bytes: number, buffered: number): 'shard' | 'group' | null {
    if (this.shardRows > 0 && this.shardBytes + bytes > this.opts.maxShardBytes) return 'shard';
    if (buffered > 0 && this.bufferBytes + bytes > this.maxRowGroupBytes) return 'group';
    return null;
  }

  private async flushRowGroup(): Promise<void> {
    if (this.buffer.length === 0) return;
    if (!this.file) {
      // The folder is about to change: its old manifest no longer describes it (see invalidateManifest).
      await invalidateManifest(this.opts.dir);
      await mkdir(this.folder, { recursive: true });
      const path = join(this.folder, `${this.tempName(this.done.length)}.partial`);
      this.file = new ParquetFile({ path, ...this.meta() });
    }
    // The batch is a view of the builder's buffers: they are reused only after the file has taken the batch.
    await this.file.writeBatch(this.buffer.finish());
    this.buffer.reset();
    this.bufferBytes = 0;
  }

  private async closeShard(): Promise<void> {
    await this.flushRowGroup();
    if (!this.file) return;
    await this.file.close();
    this.file = null;
    const temp = this.tempName(this.done.length);
    await rename(join(this.folder, `${temp}.partial`), join(this.folder, temp));
    this.tempNames.push(temp);
    this.done.push({ path: '', rows: this.shardRows, bytes: Math.round(this.shardBytes) });
    this.shardRows = 0;
    this.shardBytes = 0;
  }

  /** Close the last shard, give every shard its final `-of-N` name and report what was written. */
  async finish(): Promise<SplitResult> {
    await invalidateManifest(this.opts.dir);
    await this.closeShard();
    if (this.done.length === 0) {
      // A file with the schema and no row groups.
      await mkdir(this.folder, { recursive: true });
      const temp = this.tempName(0);
      await new ParquetFile({ path: join(this.folder, temp), ...this.meta() }).close();
      this.tempNames.push(temp);
      this.done.push({ path: '', rows: 0, bytes: 0 });
    }
    await this.removeOldShards();
    const n = this.done.length;
    for (let i = 0; i < n; i++) {
      const name = shardName(this.opts.split, i, n);
      await rename(join(this.folder, this.tempNames[i]), join(this.folder, name));
      this.done[i].path = posix.join('data', this.opts.config, name);
    }
    return {
      config: this.opts.config,
      split: this.opts.split,
      kind: this.opts.kind,
      toolFormat: this.opts.toolFormat ?? 'structured',
      numRows: this.done.reduce((s, f) => s + f.rows, 0),
      numBytes: this.done.reduce((s, f) => s + f.bytes, 0),
      files: [...this.done],
    };
  }

  /** A re-run must not leave shards of a different N behind: the card's glob would pick them up. */
  private async removeOldShards(): Promise<void> {
    const pattern = new RegExp(`^${this.opts.split.replace(/[.]/g, '\\.')}-\\d{5}-of-\\d{5}\\.parquet$`);
    for (const name of await readdir(this.folder)) {
      if (pattern.test(name) && (await stat(join(this.folder, name))).isFile()) await rm(join(this.folder, name));
    }
  }
}
