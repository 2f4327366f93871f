import { DataType, type Data, type Field, type List, type Struct } from 'apache-arrow';

/**
 * Arrow columns -> Parquet leaf columns (the "Dremel" shredding), for the shapes chatmill exports: nullable
 * primitives (Utf8, Int64, Float64, Bool) at the top level, nullable List<Struct<primitives>> (the
 * `messages` shape) and nullable List<Utf8> (the `chat` shape, JSON per turn). Every field is OPTIONAL in Parquet, as arrow-rs and pyarrow write nullable Arrow fields.
 *
 * For a top-level primitive the definition level is 1 for a value and 0 for a null. For `messages` the path is
 * messages (OPTIONAL) / list (REPEATED) / item (OPTIONAL) / role|content (OPTIONAL), so the definition level is
 * 0 for a null list, 1 for an empty list, 2 for a null item, 3 for a null leaf and 4 for a value; the repetition
 * level is 0 at a row's first entry and 1 after it.
 */
export type PhysicalType = 'BYTE_ARRAY' | 'INT64' | 'DOUBLE' | 'BOOLEAN';

export interface Leaf {
  /** Path below the schema root, as `path_in_schema` spells it. */
  path: string[];
  type: PhysicalType;
  /** The Arrow data that holds this leaf's values (a Utf8, Int64, Float64 or Bool Data). */
  values: Data;
  maxDef: number;
  maxRep: number;
  /** One entry per level: the definition level. */
  def: Uint8Array;
  /** One entry per level: the repetition level (all 0 for a top-level column). */
  rep: Uint8Array | null;
  /** One entry per level: the index of its value in `values`, or -1 where the entry is not a value. */
  valueIndex: Int32Array;
  /** Level index at which each row starts; `rowStart[rows]` is the level count. */
  rowStart: Int32Array;
}

export function physicalType(type: DataType): PhysicalType {
  if (DataType.isUtf8(type)) return 'BYTE_ARRAY';
  if (DataType.isInt(type) && type.bitWidth === 64 && type.isSigned) return 'INT64';
  if (DataType.isFloat(type) && type.precision === 2) return 'DOUBLE';
  if (DataType.isBool(type)) return 'BOOLEAN';
  throw new Error(`the Parquet writer has no encoding for Arrow type ${type}`);
}

const isValid = (d: Data, i: number): boolean => {
  const bits = d.nullBitmap;
  return d.nullCount === 0 || !bits || bits.length === 0 || (bits[i >> 3] & (1 << (i & 7))) !== 0;
};

function checkUnsliced(d: Data): void {
  // The export's builders never slice; a sliced Data would need every index shifted by its offset.
  if (d.offset !== 0) throw new Error('the Parquet writer expects unsliced Arrow data');
}

function flatLeaf(name: string, d: Data): Leaf {
  checkUnsliced(d);
  const n = d.length;
  const def = new Uint8Array(n);
  const valueIndex = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = isValid(d, i);
    def[i] = ok ? 1 : 0;
    valueIndex[i] = ok ? i : -1;
    rowStart[i] = i;
  }
  rowStart[n] = n;
  return { path: [name], type: physicalType(d.type), values: d, maxDef: 1, maxRep: 0, def, rep: null, valueIndex, rowStart };
}

/** The leaves of one List<Struct<...>> column, one per struct child, sharing the list's levels. */
function listOfStructLeaves(name: string, list: Data<List>): Leaf[] {
  checkUnsliced(list);
  const item = list.children[0] as Data<Struct>;
  checkUnsliced(item);
  const itemName = list.type.children[0].name;
  const offsets = list.valueOffsets;
  const rows = list.length;
  let entries = 0;
  for (let r = 0; r < rows; r++) entries += Math.max(1, offsets[r + 1] - offsets[r]);
  // Levels down to the item are shared; each leaf then adds its own null test.
  const baseDef = new Uint8Array(entries);
  const rep = new Uint8Array(entries);
  const itemIndex = new Int32Array(entries);
  const rowStart = new Int32Array(rows + 1);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = e;
    const start = offsets[r];
    const end = offsets[r + 1];
    if (!isValid(list, r) || start === end) {
      baseDef[e] = isValid(list, r) ? 1 : 0;
      itemIndex[e++] = -1;
      continue;
    }
    for (let j = start; j < end; j++) {
      const present = isValid(item, j);
      rep[e] = j === start ? 0 : 1;
      baseDef[e] = present ? 3 : 2;
      itemIndex[e] = present ? j : -1;
      e++;
    }
  }
  rowStart[rows] = e;
  return item.type.children.map((field: Field, c: number) => {
    const child = item.children[c];
    checkUnsliced(child);
    const def = new Uint8Array(entries);
    const valueIndex = new Int32Array(entries);
    for (let k = 0; k < entries; k++) {
      const j = itemIndex[k];
      const ok = j >= 0 && isValid(child, j);
      def[k] = ok ? 4 : j >= 0 ? 3 : baseDef[k];
      valueIndex[k] = ok ? j : -1;
    }
    return { path: [name, 'list', itemName, field.name], type: physicalType(field.type), values: child, maxDef: 4, maxRep: 1, def, rep, valueIndex, rowStart };
  });
}

/**
 * The one leaf of a List<primitive> column (the `chat` shape, list<json>): path name / list (REPEATED) / item,
 * definition level 0 for a null list, 1 for an empty list, 2 for a null item and 3 for a value.
 */
function listOfPrimitiveLeaf(name: string, list: Data<List>): Leaf {
  checkUnsliced(list);
  const item = list.children[0];
  checkUnsliced(item);
  const offsets = list.valueOffsets;
  const rows = list.length;
  let entries = 0;
  for (let r = 0; r < rows; r++) entries += Math.max(1, offsets[r + 1] - offsets[r]);
  const def = new Uint8Array(entries);
  const rep = new Uint8Array(entries);
  const valueIndex = new Int32Array(entries);
  const rowStart = new Int32Array(rows + 1);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = e;
    const start = offsets[r];
    const end = offsets[r + 1];
    if (!isValid(list, r) || start === end) {
      def[e] = isValid(list, r) ? 1 : 0;
      valueIndex[e++] = -1;
      continue;
    }
    for (let j = start; j < end; j++) {
      const ok = isValid(item, j);
      rep[e] = j === start ? 0 : 1;
      def[e] = ok ? 3 : 2;
      valueIndex[e++] = ok ? j : -1;
    }
  }
  rowStart[rows] = e;
  const itemName = list.type.children[0].name;
  return { path: [name, 'list', itemName], type: physicalType(item.type), values: item, maxDef: 3, maxRep: 1, def, rep, valueIndex, rowStart };
}

/** Every Parquet leaf of one top-level Arrow column. */
export function leavesOf(field: Field, d: Data): Leaf[] {
  if (DataType.isList(field.type)) {
    const item = field.type.children[0].type;
    if (DataType.isStruct(item)) return listOfStructLeaves(field.name, d as Data<List>);
    return [listOfPrimitiveLeaf(field.name, d as Data<List>)];
  }
  return [flatLeaf(field.name, d)];
}
