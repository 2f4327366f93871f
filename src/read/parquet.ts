import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { UsageError } from '../types.js';
import { preview, RAW_PREVIEW_BYTES, strictUtf8, type ReadLimits } from './limits.js';

/** A JSON-typed cell, kept as text until its row is checked (hyparquet would JSON.parse it and throw for the whole file). */
class JsonCell {
  constructor(readonly text: string) {}
}
/** A string cell whose bytes are not UTF-8 (hyparquet would replace them with U+FFFD without a word). */
class BadText {
  constructor(readonly bytes: Uint8Array) {}
}

const parsers = {
  jsonFromBytes: (bytes: Uint8Array | undefined) => bytes && new JsonCell(decodeOr(bytes) ?? ''),
  stringFromBytes: (bytes: Uint8Array | undefined) => {
    if (!bytes) return bytes;
    const text = decodeOr(bytes);
    return text === undefined ? new BadText(bytes) : escapeName(text);
  },
};

/**
 * hyparquet assembles structs and maps by assigning to plain objects, so a struct field or a map key named
 * `__proto__` would set the object's prototype and vanish from the row. Such names are escaped on the way in
 * (schema names in the footer, and every decoded string, since map keys are strings) and unescaped by the row
 * walk, which writes them back as own properties. The prefix is itself escaped, so the mapping is one to one:
 * a string that happens to start with it comes back unchanged.
 */
const ESCAPE = '\u0000chatmill-escaped:';
const escapeName = (s: string): string => (s === '__proto__' || (s.charCodeAt(0) === 0 && s.startsWith(ESCAPE)) ? ESCAPE + s : s);
const isEscaped = (s: string): boolean => s.charCodeAt(0) === 0 && s.startsWith(ESCAPE);
const unescapeName = (s: string): string => (isEscaped(s) ? s.slice(ESCAPE.length) : s);

/** Escape every schema name in the footer, in the schema and in each column chunk's path, consistently. */
function escapeSchemaNames(metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>): void {
  for (const element of metadata.schema) element.name = escapeName(element.name);
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) if (chunk.meta_data) chunk.meta_data.path_in_schema = chunk.meta_data.path_in_schema.map(escapeName);
  }
}

function decodeOr(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A row fault: the row is rejected with this reason, the file goes on. */
interface RowFault {
  reason: 'not_json' | 'nesting_too_deep' | 'record_too_large' | 'invalid_number' | 'invalid_utf8';
  message: string;
  /** What the rejects file shows of the row (bad cells as text), at most a preview. */
  raw: string;
}

/**
 * A Parquet file (the usual shape of Hub datasets), read one row group at a time so memory is bounded
 * by the largest row group, not the file. Rows arrive as objects; nested list/struct columns become
 * arrays/objects, which is exactly what the format adapters expect. Each row's `raw` is its JSON text;
 * it is parsed in the parse stage like any other record.
 *
 * Faults stay local. A bad row (a JSON cell that is not JSON, a value nested deeper than --max-depth, a
 * row over --max-record-bytes, a non-finite float, a string that is not UTF-8) rejects that row, with its
 * row number. A footer or page that cannot be decoded rejects the rest of the file as one `corrupt_file`,
 * naming the row group and the first row not read; the run goes on with the next input.
 */
export async function* parquetRecords(path: string, limits: ReadLimits): AsyncGenerator<Outcome<unknown>> {
  let file;
  try {
    file = await asyncBufferFromFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let metadata;
  let names: string[];
  let binary: Set<string>;
  try {
    metadata = await parquetMetadataAsync(file);
    escapeSchemaNames(metadata);
    const tree = parquetSchema(metadata);
    names = tree.children.map((c) => c.element.name);
    binary = binaryColumns(tree);
  } catch (e) {
    yield reject({ source: path, index: 0 }, 'corrupt_file', `${path} is not a readable Parquet file (footer: ${(e as Error).message}); no row was read`, '');
    return;
  }
  let rowStart = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const rowEnd = rowStart + Number(metadata.row_groups[g].num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        columns: names,
        compressors,
        parsers,
        rowFormat: 'array',
        onComplete: (r) => (rows = r as unknown[][]),
      });
    } catch (e) {
      const message = `${path}: row group ${g} cannot be decoded (${(e as Error).message}); rows ${rowStart} to the end of the file are not read`;
      yield reject({ source: path, index: rowStart }, 'corrupt_file', message, '');
      return;
    }
    for (let r = 0; r < rows.length; r++) {
      const index = rowStart + r;
      const result = rowJson(names, rows[r], limits, binary);
      yield typeof result === 'string'
        ? keep({ source: path, index }, undefined, result)
        : Object.assign(reject({ source: path, index }, result.reason, `${path}: row ${index}: ${result.message}`, result.raw), { rawTruncated: result.raw.length >= RAW_PREVIEW_BYTES });
    }
    rowStart = rowEnd;
  }
}

/**
 * A row as JSON text, or the reason it cannot be one. Columns become own properties of a null-prototype
 * object, so a column named `__proto__` is kept as a key (an assignment to a plain object would set its
 * prototype and drop the column). Before anything recursive (JSON.stringify) runs, an iterative walk checks
 * depth, non-finite numbers and JSON cells, so a 100,000-deep value is a reject, not a stack overflow.
 */
export function rowJson(names: string[], cells: unknown[], limits: ReadLimits, binary = new Set<string>()): string | RowFault {
  const row: Record<string, unknown> = Object.create(null);
  for (let c = 0; c < names.length; c++) row[unescapeName(names[c])] = cells[c];
  const fault = checkRow(row, limits, binary);
  if (fault) return { ...fault, raw: rawPreview(row) };
  let raw: string;
  try {
    raw = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? bigintJson(v) : v));
  } catch (e) {
    return { reason: 'nesting_too_deep', message: `cannot be written as JSON (${(e as Error).message})`, raw: '' };
  }
  if (raw.length > limits.maxRecordBytes || (raw.length * 3 > limits.maxRecordBytes && Buffer.byteLength(raw) > limits.maxRecordBytes)) {
    return { reason: 'record_too_large', message: `is over --max-record-bytes ${limits.maxRecordBytes} as JSON`, raw: raw.slice(0, RAW_PREVIEW_BYTES) };
  }
  return raw;
}

/** A 64-bit integer as a JSON number when it is exact, else as its digits in a string. */
const bigintJson = (v: bigint): number | string => (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString());

/**
 * The rejected row as text for the rejects file: a bad JSON cell as its text, a non-finite number as its
 * name, undecodable bytes with U+FFFD. Cells deeper than the limit were never parsed, so this stays shallow.
 */
function rawPreview(row: Record<string, unknown>): string {
  try {
    const text = JSON.stringify(row, (_k, v) =>
      v instanceof JsonCell
        ? v.text.slice(0, RAW_PREVIEW_BYTES)
        : v instanceof BadText
          ? preview(v.bytes)
          : typeof v === 'string'
            ? unescapeName(v)
            : typeof v === 'bigint'
            ? bigintJson(v)
            : typeof v === 'number' && !Number.isFinite(v)
              ? String(v)
              : v,
    );
    return text.slice(0, RAW_PREVIEW_BYTES);
  } catch {
    return '';
  }
}

/** Walk the row with an explicit stack; JSON cells are checked and replaced by their value on the way. */
function checkRow(row: Record<string, unknown>, limits: ReadLimits, binary: Set<string>): Omit<RowFault, 'raw'> | undefined {
  const stack: { holder: Record<string, unknown> | unknown[]; key: string | number; depth: number; path: string; column: string }[] = [];
  // The row is level 1, so a column holding an object or list opens level 2 (as the same record in JSONL would).
  for (const k of Object.keys(row)) stack.push({ holder: row, key: k, depth: 2, path: k, column: k });
  while (stack.length) {
    const { holder, key, depth, path, column } = stack.pop()!;
    let v = (holder as Record<string | number, unknown>)[key];
    if (v instanceof JsonCell) {
      const cell = parseCell(v.text, depth, limits, path);
      if ('reason' in cell) return cell;
      v = cell.value;
      // Own data property even when the key is __proto__.
      Object.defineProperty(holder, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (v instanceof BadText) {
      // Raw bytes with no string annotation (an image, a hash) read as text the way they always were.
      if (binary.has(column)) {
        Object.defineProperty(holder, key, { value: Buffer.from(v.bytes).toString('utf8'), enumerable: true, writable: true, configurable: true });
        continue;
      }
      return { reason: 'invalid_utf8', message: `column ${path} is not valid UTF-8: ${preview(v.bytes)}` };
    }
    if (typeof v === 'string') {
      if (isEscaped(v)) (holder as Record<string | number, unknown>)[key] = unescapeName(v);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { reason: 'invalid_number', message: `column ${path} is ${v}, which JSON cannot hold` };
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !ArrayBuffer.isView(v)) {
      if (depth > limits.maxDepth) return { reason: 'nesting_too_deep', message: `column ${path} nests deeper than ${limits.maxDepth} levels (--max-depth)` };
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push({ holder: v, key: i, depth: depth + 1, path: `${path}[${i}]`, column });
      else {
        const obj = Object.keys(v).some(isEscaped) ? unescapeKeys(v as Record<string, unknown>) : (v as Record<string, unknown>);
        for (const k of Object.keys(obj)) stack.push({ holder: obj, key: k, depth: depth + 1, path: `${path}.${k}`, column });
      }
    }
  }
  return undefined;
}

/** Rename escaped keys back in place, in their order, as own data properties (even `__proto__`). */
function unescapeKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(obj);
  for (const [k] of entries) delete obj[k];
  for (const [k, value] of entries) Object.defineProperty(obj, unescapeName(k), { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

/** Top-level columns with a byte-array leaf that is not annotated as text: those bytes need not be UTF-8. */
function binaryColumns(tree: SchemaTree): Set<string> {
  const out = new Set<string>();
  for (const column of tree.children) {
    const stack = [column];
    while (stack.length) {
      const node = stack.pop()!;
      stack.push(...node.children);
      const { type, converted_type: converted, logical_type: logical } = node.element;
      const text = ['UTF8', 'ENUM', 'JSON', 'BSON'].includes(converted ?? '') || ['STRING', 'ENUM', 'JSON', 'BSON'].includes(logical?.type ?? '');
      if (type === 'BYTE_ARRAY' && !text) out.add(unescapeName(column.element.name));
    }
  }
  return out;
}

function parseCell(text: string, depth: number, limits: ReadLimits, path: string): Omit<RowFault, 'raw'> | { value: unknown } {
  if (text.length > limits.maxRecordBytes) return { reason: 'record_too_large', message: `JSON column ${path} is over --max-record-bytes ${limits.maxRecordBytes}` };
  if (nestsDeeper(text, limits.maxDepth - depth + 1)) {
    return { reason: 'nesting_too_deep', message: `JSON column ${path} nests deeper than ${limits.maxDepth} levels (--max-depth)` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { reason: 'not_json', message: `JSON column ${path} is not valid JSON (${(e as Error).message}): ${text.slice(0, 200)}` };
  }
}

/** Bracket depth of JSON text, skipping strings; a linear scan, no recursion. */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
