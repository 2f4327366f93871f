import { Bool, Field, Float64, Int64, List, Schema, Struct, Utf8, type DataType } from 'apache-arrow';
import type { ColumnSpec, ColumnType } from './columns.js';
import { huggingfaceMetadata } from './features.js';

/**
 * The Arrow schema for a column list. Every field is nullable and the list child is named `item`, because
 * that is what pyarrow builds for `datasets` features; `datasets` only trusts the `huggingface` metadata of a
 * field whose Arrow type is exactly the one the feature would produce.
 */
export function messagesType(): List<Struct> {
  const struct = new Struct([new Field('role', new Utf8(), true), new Field('content', new Utf8(), true)]);
  return new List(new Field('item', struct, true));
}

/**
 * list<extension<arrow.json>>: the Arrow type `datasets` gives `List(Json())`. The JSON extension is Arrow's
 * canonical one (storage utf8, marked in the field metadata), which pyarrow restores from the `ARROW:schema` footer.
 */
export const JSON_EXTENSION = new Map([
  ['ARROW:extension:name', 'arrow.json'],
  ['ARROW:extension:metadata', ''],
]);
export function chatType(): List<Utf8> {
  return new List(new Field('item', new Utf8(), true, JSON_EXTENSION));
}

function arrowType(type: ColumnType): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'messages':
      return messagesType();
    case 'chat':
      return chatType();
  }
}

export function arrowSchema(columns: readonly ColumnSpec[]): Schema {
  const fields = columns.map((c) => new Field(c.name, arrowType(c.type), true));
  return new Schema(fields, new Map([['huggingface', huggingfaceMetadata(columns)]]));
}
