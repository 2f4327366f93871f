import { closeSync, openSync, writeSync } from 'node:fs';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { ColumnChunk, RowGroup, SchemaElement } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { serializeTCompactProtocol } from 'hyparquet-writer/src/thrift.js';
import { unconvertMinMax } from 'hyparquet-writer/src/unconvert.js';
import { encodeChunk, type Compress, type EncodedChunk } from './parquet/column-chunk.js';
import { compressor, type Compression } from './parquet/compress.js';
import { leavesOf } from './parquet/leaves.js';
import { arrowSchemaFooter, parquetSchema } from './parquet/schema.js';
import { STATS_BYTES } from './parquet/stats.js';

export type { Compression } from './parquet/compress.js';

export interface ParquetFileOptions {
  path: string;
  schema: Schema;
  compression: Compression;
  /** Parquet footer key/value metadata (we put `huggingface` here as pyarrow does; `ARROW:schema` is added). */
  keyValueMetadata: Record<string, string>;
  createdBy: string;
}

const MAGIC = Buffer.from('PAR1');

/** What the page index needs of one column chunk, kept until the file is closed. */
interface ChunkIndex {
  chunk: ColumnChunk;
  element: SchemaElement;
  encoded: Pick<EncodedChunk, 'pages'>;
  start: number;
}

/**
 * A Parquet file written row group by row group: each `writeBatch` encodes one Arrow batch as one row group and
 * writes it to disk before returning, so memory holds one row group. `close` writes the page index (column and
 * offset index of every chunk) and the footer.
 */
export class ParquetFile {
  private readonly fd: number;
  private offset = 0;
  private readonly leafElements: SchemaElement[];
  private readonly schemaElements: SchemaElement[];
  private readonly codec: 'ZSTD' | 'SNAPPY';
  private readonly compress: Compress;
  private readonly rowGroups: RowGroup[] = [];
  private readonly indexes: ChunkIndex[] = [];
  private rows = 0n;
  private closed = false;

  constructor(private readonly opts: ParquetFileOptions) {
    ({ codec: this.codec, compress: this.compress } = compressor(opts.compression));
    this.schemaElements = parquetSchema(opts.schema);
    this.leafElements = this.schemaElements.filter((e) => e.type !== undefined);
    this.fd = openSync(opts.path, 'w');
    this.write(MAGIC);
  }

  private write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }

  /** Encodes and writes the batch as one row group. The caller may reuse the batch's buffers once this resolves. */
  async writeBatch(batch: RecordBatch): Promise<void> {
    try {
      this.writeRowGroup(batch);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  private writeRowGroup(batch: RecordBatch): void {
    if (batch.numRows === 0) return;
    const groupStart = this.offset;
    const columns: ColumnChunk[] = [];
    let uncompressed = 0n;
    let leafNo = 0;
    batch.schema.fields.forEach((field, c) => {
      for (const leaf of leavesOf(field, batch.data.children[c])) {
        const element = this.leafElements[leafNo++];
        const start = this.offset;
        const encoded = encodeChunk(leaf, this.compress);
        for (const part of encoded.parts) this.write(part);
        const chunk: ColumnChunk = {
          file_offset: BigInt(start),
          meta_data: {
            type: leaf.type,
            encodings: ['PLAIN', 'RLE'],
            path_in_schema: leaf.path,
            codec: this.codec,
            num_values: BigInt(encoded.numValues),
            total_uncompressed_size: BigInt(encoded.uncompressedBytes),
            total_compressed_size: BigInt(encoded.compressedBytes),
            data_page_offset: BigInt(start),
            statistics: { null_count: BigInt(encoded.nullCount), min_value: encoded.min, max_value: encoded.max },
          },
        };
        columns.push(chunk);
        this.indexes.push({ chunk, element, encoded: { pages: encoded.pages }, start });
        uncompressed += BigInt(encoded.uncompressedBytes);
      }
    });
    this.rows += BigInt(batch.numRows);
    this.rowGroups.push({
      columns,
      num_rows: BigInt(batch.numRows),
      total_byte_size: uncompressed,
      file_offset: BigInt(groupStart),
      total_compressed_size: BigInt(this.offset - groupStart),
    });
  }

  /** Column indexes of every chunk, then offset indexes, then the footer, as arrow-rs lays them out. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      for (const ix of this.indexes) this.writeColumnIndex(ix);
      for (const ix of this.indexes) this.writeOffsetIndex(ix);
      const footer = new ByteWriter();
      writeMetadata(
        footer,
        {
          version: 2,
          schema: this.schemaElements,
          num_rows: this.rows,
          row_groups: this.rowGroups,
          key_value_metadata: [
            ...Object.entries(this.opts.keyValueMetadata).map(([key, value]) => ({ key, value })),
            { key: 'ARROW:schema', value: arrowSchemaFooter(this.opts.schema) },
          ],
          created_by: this.opts.createdBy,
          metadata_length: 0,
        },
        STATS_BYTES,
      );
      this.write(footer.getBytes());
      this.write(MAGIC);
    } finally {
      this.abort();
    }
  }

  private abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private writeColumnIndex({ chunk, element, encoded }: ChunkIndex): void {
    // A page with values but no bound (all NaN) cannot be described; the spec then wants no column index.
    if (encoded.pages.some((p) => p.min === undefined && p.valueCount > 0)) return;
    const w = new ByteWriter();
    const none = new Uint8Array(0);
    serializeTCompactProtocol(w, {
      field_1: encoded.pages.map((p) => p.min === undefined),
      field_2: encoded.pages.map((p) => unconvertMinMax(p.min, element, false, STATS_BYTES) ?? none),
      field_3: encoded.pages.map((p) => unconvertMinMax(p.max, element, true, STATS_BYTES) ?? none),
      field_4: 0, // boundary order: UNORDERED
      field_5: encoded.pages.map((p) => BigInt(p.nullCount)),
    });
    chunk.column_index_offset = BigInt(this.offset);
    chunk.column_index_length = w.offset;
    this.write(w.getBytes());
  }

  private writeOffsetIndex({ chunk, encoded, start }: ChunkIndex): void {
    const w = new ByteWriter();
    serializeTCompactProtocol(w, {
      field_1: encoded.pages.map((p) => ({ field_1: BigInt(start + p.offset), field_2: p.size, field_3: BigInt(p.firstRow) })),
    });
    chunk.offset_index_offset = BigInt(this.offset);
    chunk.offset_index_length = w.offset;
    this.write(w.getBytes());
  }
}
