import { RecordBatch, Struct, makeData, vectorFromArray, type Schema } from 'apache-arrow';
import type { Row } from './rows.js';

/** Build one Arrow record batch from buffered rows, column by column, with the schema's exact types. */
export function rowsToBatch(schema: Schema, rows: readonly Row[]): RecordBatch {
  const children = schema.fields.map((f) => {
    // With no highWaterMark given, Arrow's builder emits the whole column as a single Data chunk.
    const vector = vectorFromArray(
      rows.map((r) => r[f.name] ?? null),
      f.type,
    );
    if (vector.data.length !== 1) throw new Error(`column ${f.name}: expected one Arrow chunk, got ${vector.data.length}`);
    return vector.data[0];
  });
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}
