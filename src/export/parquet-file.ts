import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter, type RecordBatch as ArrowBatch } from 'apache-arrow';
// The `node` build of parquet-wasm compiles its bundled .wasm synchronously at import: no fetch, no init().
import * as pw from 'parquet-wasm';

export type Compression = 'zstd' | 'snappy';

export interface ParquetFileOptions {
  path: string;
  compression: Compression;
  /** Parquet footer key/value metadata (we put `huggingface` here as pyarrow does). */
  keyValueMetadata: Record<string, string>;
  createdBy: string;
  /**
   * Rows per row group. parquet-wasm's writer only closes a row group when it holds this many rows (it has
   * no flush), so the shard writer feeds batches of exactly this size and each batch becomes one row group.
   */
  rowsPerGroup: number;
  /**
   * Top-level columns whose values are distinct in every row (ids). A dictionary never pays off there: arrow-rs
   * hashes values into it until it passes its size limit, then falls back to plain encoding anyway.
   */
  noDictionary?: readonly string[];
}

/** Arrow JS batch -> parquet-wasm batch, through one IPC stream message. The wasm Table is freed at once. */
function toWasmBatch(batch: ArrowBatch): pw.RecordBatch {
  const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  const table = pw.Table.fromIPCStream(ipc);
  try {
    const out = table.recordBatch(0);
    if (!out) throw new Error('parquet-wasm returned no record batch');
    return out;
  } finally {
    table.free();
  }
}

function writerProperties(o: ParquetFileOptions): pw.WriterProperties {
  let builder = new pw.WriterPropertiesBuilder();
  for (const col of o.noDictionary ?? []) builder = builder.setColumnDictionaryEnabled(col, false);
  return builder
    .setCompression(o.compression === 'zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY)
    // Page-level statistics make arrow-rs write the column index and offset index (the "page index").
    .setStatisticsEnabled(pw.EnabledStatistics.Page)
    .setMaxRowGroupSize(o.rowsPerGroup)
    .setKeyValueMetadata(new Map(Object.entries(o.keyValueMetadata)))
    .setCreatedBy(o.createdBy)
    .build();
}

/**
 * A Parquet file written as a stream: a batch of exactly `rowsPerGroup` rows becomes one row group, and bytes
 * reach the disk as soon as the row group is encoded, so memory holds about one row group at a time.
 */
export class ParquetFile {
  private handoff: ((b: pw.RecordBatch | null) => void) | null = null;
  private handoffReady: Promise<void>;
  private signalReady!: () => void;
  private done: Promise<void>;

  constructor(opts: ParquetFileOptions) {
    this.handoffReady = new Promise((r) => (this.signalReady = r));
    const input = new ReadableStream<pw.RecordBatch>(
      {
        pull: (controller) =>
          new Promise<void>((resolve) => {
            this.handoff = (b) => {
              if (b) controller.enqueue(b);
              else controller.close();
              resolve();
            };
            this.signalReady();
          }),
      },
      { highWaterMark: 0 },
    );
    this.done = pw
      .transformParquetStream(input, writerProperties(opts))
      .then((out) => pipeline(Readable.fromWeb(out as import('node:stream/web').ReadableStream), createWriteStream(opts.path)));
    // Surface a failure at the next write/close instead of as an unhandled rejection.
    this.done.catch(() => this.signalReady());
  }

  private async give(b: pw.RecordBatch | null): Promise<void> {
    await Promise.race([this.handoffReady, this.done]);
    const hand = this.handoff;
    if (!hand) throw new Error('parquet writer stopped before taking the batch');
    this.handoff = null;
    this.handoffReady = new Promise((r) => (this.signalReady = r));
    hand(b);
  }

  /** The batch is copied into wasm memory before this returns, so the caller may reuse its buffers afterwards. */
  async writeBatch(batch: ArrowBatch): Promise<void> {
    await this.give(toWasmBatch(batch));
  }

  /** Finish the footer and wait until every byte is on disk. */
  async close(): Promise<void> {
    await this.give(null);
    await this.done;
  }
}

/** A file with the schema and no rows (the streaming writer needs at least one batch to learn the schema). */
export function emptyParquet(opts: { batch: ArrowBatch } & Omit<ParquetFileOptions, 'path'>): Uint8Array {
  const ipc = RecordBatchStreamWriter.writeAll([opts.batch]).toUint8Array(true);
  return pw.writeParquet(pw.Table.fromIPCStream(ipc), writerProperties({ ...opts, path: '' }));
}
