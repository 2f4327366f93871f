import { RecordBatch, Struct, makeData, type Schema } from 'apache-arrow';
import { builderFor, type CellValue, type ColumnBuilder } from './arrow-columns.js';

export type { CellValue } from './arrow-columns.js';

/** Builds record batches of `schema` from records, one getter per schema field. */
export class BatchBuilder<R> {
  private readonly builders: ColumnBuilder[];
  length = 0;
  constructor(private readonly schema: Schema, private readonly getters: readonly ((r: R) => CellValue)[]) {
    if (getters.length !== schema.fields.length) throw new Error('one getter per schema field is required');
    this.builders = schema.fields.map((f) => builderFor(f.type));
  }
  /** Appends one row; returns its Arrow bytes (every column's validity bit included, as `datasets` counts). */
  append(record: R): number {
    let bytes = 0;
    for (let c = 0; c < this.builders.length; c++) bytes += 0.125 + this.builders[c].append(this.getters[c](record));
    this.length++;
    return bytes;
  }
  /** Drops rows from `length` on (used to take back a row that belongs to the next row group). */
  truncate(length: number): void {
    for (const b of this.builders) b.truncate(length);
    this.length = length;
  }
  /** The buffered rows as one record batch; its buffers are the builders' own until `reset()`. */
  finish(): RecordBatch {
    const children = this.builders.map((b) => b.finish());
    return new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length: this.length, nullCount: 0, children }));
  }
  reset(): void {
    for (const b of this.builders) b.reset();
    this.length = 0;
  }
}
