import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import type { Leaf } from './leaves.js';
import { boundable, boundOf, comparatorFor, type Bound } from './stats.js';

/** Target uncompressed size of one data page (arrow-rs and pyarrow default to 1 MiB too). */
export const PAGE_BYTES = 1 << 20;

export type Compress = (body: Uint8Array) => Uint8Array;

export interface PageInfo {
  /** Offset of the page header from the start of the column chunk. */
  offset: number;
  /** Header plus compressed body. */
  size: number;
  firstRow: number;
  nullCount: number;
  /** Non-null values in the page. */
  valueCount: number;
  min?: Bound;
  max?: Bound;
}

/** One leaf's pages for one row group, ready to be written in order, and what the footer says of them. */
export interface EncodedChunk {
  parts: Uint8Array[];
  compressedBytes: number;
  uncompressedBytes: number;
  /** Level entries (Parquet's `num_values`, which counts nulls and empty lists). */
  numValues: number;
  nullCount: number;
  min?: Bound;
  max?: Bound;
  pages: PageInfo[];
}

let scratch = Buffer.allocUnsafe(PAGE_BYTES * 2);
const room = (n: number): Buffer => (scratch.length >= n ? scratch : (scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2))));

const bitWidth = (max: number) => (max === 0 ? 0 : 32 - Math.clz32(max));

function levelBytes(levels: Uint8Array, start: number, end: number, max: number): Uint8Array {
  const w = new ByteWriter();
  writeRleBitPackedHybrid(w, levels.subarray(start, end), bitWidth(max));
  return w.getBytes();
}

/** Bytes a value takes in a PLAIN page (booleans are counted as one byte; they are packed 8 to a byte). */
function valueSize(leaf: Leaf, i: number): number {
  if (leaf.type === 'BYTE_ARRAY') {
    const off = leaf.values.valueOffsets as Int32Array;
    return 4 + off[i + 1] - off[i];
  }
  return leaf.type === 'BOOLEAN' ? 1 : 8;
}

/** PLAIN encoding of the values of level entries [start, end) into `out` at `pos`; returns the end position. */
function writeValues(leaf: Leaf, start: number, end: number, out: Buffer, pos: number): number {
  const idx = leaf.valueIndex;
  const d = leaf.values;
  switch (leaf.type) {
    case 'BYTE_ARRAY': {
      const off = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        if (i < 0) continue;
        const a = off[i];
        const n = off[i + 1] - a;
        out.writeUInt32LE(n, pos);
        pos += 4;
        if (n < 32) for (let b = 0; b < n; b++) out[pos + b] = bytes[a + b];
        else out.set(bytes.subarray(a, a + n), pos);
        pos += n;
      }
      return pos;
    }
    case 'INT64':
    case 'DOUBLE': {
      const src = new Uint8Array(d.values.buffer, d.values.byteOffset, d.values.byteLength);
      for (let k = start; k < end; k++) {
        const i = idx[k];
        if (i < 0) continue;
        for (let b = 0; b < 8; b++) out[pos + b] = src[i * 8 + b];
        pos += 8;
      }
      return pos;
    }
    case 'BOOLEAN': {
      const bits = d.values as Uint8Array;
      let n = 0;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        if (i < 0) continue;
        if ((n & 7) === 0) out[pos + (n >> 3)] = 0;
        if ((bits[i >> 3] >> (i & 7)) & 1) out[pos + (n >> 3)] |= 1 << (n & 7);
        n++;
      }
      return pos + ((n + 7) >> 3);
    }
  }
}

/** One page: rows [r0, r1) of the leaf and the PLAIN size of their values. */
type PageRange = [r0: number, r1: number, valueBytes: number];

/** Cut after the row that brings the page to PAGE_BYTES (levels counted as a byte each; pages end on row boundaries). */
function pageRanges(leaf: Leaf): PageRange[] {
  const rows = leaf.rowStart.length - 1;
  const ranges: PageRange[] = [];
  let r0 = 0;
  let valueBytes = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = leaf.rowStart[r]; k < leaf.rowStart[r + 1]; k++) {
      if (leaf.valueIndex[k] >= 0) valueBytes += valueSize(leaf, leaf.valueIndex[k]);
    }
    if (valueBytes + leaf.rowStart[r + 1] - leaf.rowStart[r0] >= PAGE_BYTES) {
      ranges.push([r0, r + 1, valueBytes]);
      r0 = r + 1;
      valueBytes = 0;
    }
  }
  if (r0 < rows || ranges.length === 0) ranges.push([r0, rows, valueBytes]);
  return ranges;
}

/**
 * Encodes one leaf of one row group as DATA_PAGE (v1) pages: repetition and definition levels in the RLE /
 * bit-packed hybrid, values PLAIN, the whole page body compressed (so the levels are compressed too).
 * Dictionary encoding is not used: the long text columns gain nothing from it, and zstd takes care of the
 * short repeated ones (role, source, format).
 */
export function encodeChunk(leaf: Leaf, compress: Compress): EncodedChunk {
  const cmp = comparatorFor(leaf.type, leaf.values);
  const out: EncodedChunk = { parts: [], compressedBytes: 0, uncompressedBytes: 0, numValues: leaf.def.length, nullCount: 0, pages: [] };
  let chunkMin = -1;
  let chunkMax = -1;
  for (const [r0, r1, valueBytes] of pageRanges(leaf)) {
    const e0 = leaf.rowStart[r0];
    const e1 = leaf.rowStart[r1];
    const rep = leaf.maxRep > 0 && leaf.rep ? levelBytes(leaf.rep, e0, e1, leaf.maxRep) : null;
    const def = levelBytes(leaf.def, e0, e1, leaf.maxDef);
    let nulls = 0;
    let min = -1;
    let max = -1;
    for (let k = e0; k < e1; k++) {
      const i = leaf.valueIndex[k];
      if (i < 0) {
        nulls++;
        continue;
      }
      if (!boundable(leaf.type, leaf.values, i)) continue;
      if (min < 0 || cmp(i, min) < 0) min = i;
      if (max < 0 || cmp(i, max) > 0) max = i;
    }
    const bodySize = (rep ? 4 + rep.length : 0) + 4 + def.length + valueBytes;
    const body = room(bodySize);
    let pos = 0;
    if (rep) {
      body.writeUInt32LE(rep.length, pos);
      body.set(rep, pos + 4);
      pos += 4 + rep.length;
    }
    body.writeUInt32LE(def.length, pos);
    body.set(def, pos + 4);
    pos = writeValues(leaf, e0, e1, body, pos + 4 + def.length);
    const compressed = compress(body.subarray(0, pos));
    const header = new ByteWriter();
    writePageHeader(header, {
      type: 'DATA_PAGE',
      uncompressed_page_size: pos,
      compressed_page_size: compressed.length,
      data_page_header: { num_values: e1 - e0, encoding: 'PLAIN', definition_level_encoding: 'RLE', repetition_level_encoding: 'RLE' },
    });
    const headerBytes = header.getBytes();
    out.pages.push({
      offset: out.compressedBytes,
      size: headerBytes.length + compressed.length,
      firstRow: r0,
      nullCount: nulls,
      valueCount: e1 - e0 - nulls,
      ...(min >= 0 ? { min: boundOf(leaf.type, leaf.values, min, false), max: boundOf(leaf.type, leaf.values, max, true) } : {}),
    });
    out.parts.push(headerBytes, compressed);
    out.compressedBytes += headerBytes.length + compressed.length;
    out.uncompressedBytes += headerBytes.length + pos;
    out.nullCount += nulls;
    if (min >= 0 && (chunkMin < 0 || cmp(min, chunkMin) < 0)) chunkMin = min;
    if (max >= 0 && (chunkMax < 0 || cmp(max, chunkMax) > 0)) chunkMax = max;
  }
  if (chunkMin >= 0) {
    out.min = boundOf(leaf.type, leaf.values, chunkMin, false);
    out.max = boundOf(leaf.type, leaf.values, chunkMax, true);
  }
  return out;
}
