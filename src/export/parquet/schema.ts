import { DataType, tableToIPC, Table, type Field, type Schema } from 'apache-arrow';
import type { SchemaElement } from 'hyparquet';
import { physicalType } from './leaves.js';

/**
 * A nullable primitive field as a Parquet schema element (strings carry both the UTF8 and STRING annotations;
 * a field marked with Arrow's JSON extension carries JSON, as pyarrow writes it).
 */
function primitive(field: Field): SchemaElement {
  const physical = physicalType(field.type);
  const element: SchemaElement = { name: field.name, type: physical, repetition_type: 'OPTIONAL' };
  if (physical !== 'BYTE_ARRAY') return element;
  if (field.metadata.get('ARROW:extension:name') === 'arrow.json') return { ...element, converted_type: 'JSON', logical_type: { type: 'JSON' } };
  return { ...element, converted_type: 'UTF8', logical_type: { type: 'STRING' } };
}

/**
 * The Parquet schema of an Arrow schema, depth-first as the footer lists it. Lists (of structs or of
 * primitives) use the three-level layout
 * of the spec with the repeated group named `list` and the element named after the Arrow child (`item`), as
 * arrow-rs and pyarrow write it.
 */
export function parquetSchema(schema: Schema): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'schema', num_children: schema.fields.length }];
  for (const field of schema.fields as Field[]) {
    if (!DataType.isList(field.type)) {
      out.push(primitive(field));
      continue;
    }
    const item = field.type.children[0];
    out.push(
      { name: field.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    );
    if (!DataType.isStruct(item.type)) {
      out.push(primitive(item));
      continue;
    }
    out.push(
      { name: item.name, repetition_type: 'OPTIONAL', num_children: item.type.children.length },
      ...item.type.children.map((c: Field) => primitive(c)),
    );
  }
  return out;
}

/**
 * The `ARROW:schema` footer value: the Arrow IPC schema message (continuation marker, length, flatbuffer),
 * base64. pyarrow and arrow-rs read it to restore the exact Arrow types and the schema metadata.
 */
export function arrowSchemaFooter(schema: Schema): string {
  const stream = tableToIPC(new Table(schema), 'stream');
  // The stream is the schema message followed by the 8-byte end-of-stream marker.
  return Buffer.from(stream.subarray(0, stream.length - 8)).toString('base64');
}
