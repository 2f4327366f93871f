import { makeData, type Bool, type Data, type DataType, type Float64, type Int64, type List, type Struct, type Utf8 } from 'apache-arrow';
import type { Message } from '../../schemas/chatml.js';
import { trlMessage } from '../chatml/trl.js';

/** A value as a record holds it; `null`/`undefined` become Arrow nulls. */
export type CellValue = string | number | boolean | null | undefined | readonly Message[];

/**
 * Column builders that write Arrow buffers directly as records arrive (apache-arrow's `vectorFromArray` was
 * half of the export time). Each `append` returns the bytes the value adds in Arrow memory, counted the way
 * `datasets` counts `num_bytes` (values + offsets + validity bits), so shard and row-group cuts need no second
 * pass over the strings. Buffers are reused from one row group to the next: `finish()` returns views, which
 * stay valid until the next `reset()`.
 */
export interface ColumnBuilder {
  append(v: CellValue): number;
  truncate(length: number): void;
  finish(): Data;
  reset(): void;
}

const grow = <T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: T, need: number): T => {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a as never);
  return b;
};

/** Validity bitmap, allocated on the first null (a column without nulls gets none, as Arrow allows). */
class Validity {
  bits: Uint8Array | null = null;
  nulls = 0;
  set(i: number, valid: boolean): void {
    if (valid && !this.bits) return;
    if (!this.bits) this.bits = new Uint8Array(Math.max(64, i >> 2)).fill(0xff);
    this.bits = grow(this.bits, (i >> 3) + 1);
    if (valid) this.bits[i >> 3] |= 1 << (i & 7);
    else {
      this.bits[i >> 3] &= ~(1 << (i & 7));
      this.nulls++;
    }
  }
  /** Forget rows from `length` on (their null count goes with them). */
  truncate(length: number, oldLength: number): void {
    if (!this.bits) return;
    for (let i = length; i < oldLength; i++) if (!(this.bits[i >> 3] & (1 << (i & 7)))) this.nulls--;
  }
  view(length: number): Uint8Array | undefined {
    // Bits past `length` may be stale; Arrow ignores them.
    return this.nulls > 0 && this.bits ? this.bits.subarray(0, (length + 7) >> 3) : undefined;
  }
  reset(): void {
    this.bits = null;
    this.nulls = 0;
  }
}

/** Utf8: one Int32 offset per row and the UTF-8 bytes of all rows in one growing buffer. */
class Utf8Builder implements ColumnBuilder {
  private offsets = new Int32Array(1024);
  private bytes = Buffer.allocUnsafe(1 << 16);
  private readonly validity = new Validity();
  length = 0;
  constructor(private readonly type: DataType) {}

  /** Appends the string (or a null) and returns its UTF-8 byte length. */
  appendString(v: unknown): number {
    const i = this.length++;
    this.offsets = grow(this.offsets, i + 2);
    let end = this.offsets[i];
    if (typeof v === 'string') {
      this.validity.set(i, true);
      if (end + v.length * 3 > this.bytes.length) {
        const b = Buffer.allocUnsafe(Math.max(end + v.length * 3, this.bytes.length * 2));
        this.bytes.copy(b, 0, 0, end);
        this.bytes = b;
      }
      // Buffer.write replaces lone surrogates with U+FFFD, as TextEncoder (apache-arrow's encoder) does.
      end += v.length === 0 ? 0 : this.bytes.write(v, end);
    } else this.validity.set(i, false);
    this.offsets[i + 1] = end;
    return end - this.offsets[i];
  }
  append(v: CellValue): number {
    return 4 + this.appendString(v);
  }
  truncate(length: number): void {
    this.validity.truncate(length, this.length);
    this.length = length;
  }
  finish(): Data {
    const n = this.length;
    return makeData({
      type: this.type as Utf8,
      length: n,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.view(n),
      valueOffsets: this.offsets.subarray(0, n + 1),
      data: this.bytes.subarray(0, this.offsets[n]),
    });
  }
  reset(): void {
    this.length = 0;
    this.validity.reset();
  }
}

/** Int64 and Float64: one 8-byte slot per row (0 under a null). */
class FixedBuilder implements ColumnBuilder {
  private values: BigInt64Array | Float64Array;
  private readonly validity = new Validity();
  private length = 0;
  constructor(private readonly type: DataType, private readonly int: boolean) {
    this.values = int ? new BigInt64Array(1024) : new Float64Array(1024);
  }
  append(v: CellValue): number {
    const i = this.length++;
    this.values = grow(this.values, i + 1);
    const valid = typeof v === 'number';
    this.validity.set(i, valid);
    // BigInt() throws on a non-integer, as the row mapper did: int64 columns only take integers.
    if (this.int) (this.values as BigInt64Array)[i] = valid ? BigInt(v) : 0n;
    else (this.values as Float64Array)[i] = valid ? v : 0;
    return 8;
  }
  truncate(length: number): void {
    this.validity.truncate(length, this.length);
    this.length = length;
  }
  finish(): Data {
    const n = this.length;
    const common = { length: n, nullCount: this.validity.nulls, nullBitmap: this.validity.view(n) };
    if (this.int) return makeData({ ...common, type: this.type as Int64, data: (this.values as BigInt64Array).subarray(0, n) });
    return makeData({ ...common, type: this.type as Float64, data: (this.values as Float64Array).subarray(0, n) });
  }
  reset(): void {
    this.length = 0;
    this.validity.reset();
  }
}

/** Bool: values as a bitmap, like validity. */
class BoolBuilder implements ColumnBuilder {
  private bits = new Uint8Array(128);
  private readonly validity = new Validity();
  private length = 0;
  constructor(private readonly type: DataType) {}
  append(v: CellValue): number {
    const i = this.length++;
    this.bits = grow(this.bits, (i >> 3) + 1);
    this.validity.set(i, typeof v === 'boolean');
    if (v === true) this.bits[i >> 3] |= 1 << (i & 7);
    else this.bits[i >> 3] &= ~(1 << (i & 7));
    return 0.125;
  }
  truncate(length: number): void {
    this.validity.truncate(length, this.length);
    this.length = length;
  }
  finish(): Data {
    const n = this.length;
    const data = this.bits.subarray(0, (n + 7) >> 3);
    return makeData({ type: this.type as Bool, length: n, nullCount: this.validity.nulls, nullBitmap: this.validity.view(n), data });
  }
  reset(): void {
    this.length = 0;
    this.validity.reset();
  }
}

/** list<struct<role, content>>: list offsets, one struct (never null) per message, two Utf8 children. */
class MessagesBuilder implements ColumnBuilder {
  private offsets = new Int32Array(1024);
  private readonly validity = new Validity();
  private length = 0;
  private readonly struct: Struct;
  private readonly role: Utf8Builder;
  private readonly content: Utf8Builder;
  constructor(private readonly type: List<Struct>) {
    this.struct = type.children[0].type;
    this.role = new Utf8Builder(this.struct.children[0].type);
    this.content = new Utf8Builder(this.struct.children[1].type);
  }
  append(v: CellValue): number {
    const i = this.length++;
    this.offsets = grow(this.offsets, i + 2);
    const list = Array.isArray(v) ? (v as readonly Message[]) : null;
    this.validity.set(i, list !== null);
    let bytes = 4;
    // Only role and content are read, so extra keys on a message never reach the file.
    for (const m of list ?? []) bytes += 0.25 + 8 + this.role.appendString(m.role) + this.content.appendString(m.content);
    this.offsets[i + 1] = this.role.length;
    return bytes;
  }
  truncate(length: number): void {
    this.validity.truncate(length, this.length);
    this.length = length;
    this.role.truncate(this.offsets[length]);
    this.content.truncate(this.offsets[length]);
  }
  finish(): Data {
    const n = this.length;
    const m = this.offsets[n];
    const child = makeData({ type: this.struct, length: m, nullCount: 0, children: [this.role.finish(), this.content.finish()] });
    const valueOffsets = this.offsets.subarray(0, n + 1);
    return makeData({ type: this.type, length: n, nullCount: this.validity.nulls, nullBitmap: this.validity.view(n), valueOffsets, child });
  }
  reset(): void {
    this.length = 0;
    this.validity.reset();
    this.role.reset();
    this.content.reset();
  }
}

/**
 * list<json>: list offsets and one JSON text per turn in a Utf8 child, each turn in TRL's tool-calling shape
 * (src/chatml/trl.ts), so a turn holds only the keys it has.
 */
class ChatBuilder implements ColumnBuilder {
  private offsets = new Int32Array(1024);
  private readonly validity = new Validity();
  private length = 0;
  private readonly item: Utf8Builder;
  constructor(private readonly type: List<Utf8>) {
    this.item = new Utf8Builder(type.children[0].type);
  }
  append(v: CellValue): number {
    const i = this.length++;
    this.offsets = grow(this.offsets, i + 2);
    const list = Array.isArray(v) ? (v as readonly Message[]) : null;
    this.validity.set(i, list !== null);
    let bytes = 4;
    for (const m of list ?? []) bytes += 0.125 + 4 + this.item.appendString(JSON.stringify(trlMessage(m)));
    this.offsets[i + 1] = this.item.length;
    return bytes;
  }
  truncate(length: number): void {
    this.validity.truncate(length, this.length);
    this.length = length;
    this.item.truncate(this.offsets[length]);
  }
  finish(): Data {
    const n = this.length;
    const valueOffsets = this.offsets.subarray(0, n + 1);
    return makeData({ type: this.type, length: n, nullCount: this.validity.nulls, nullBitmap: this.validity.view(n), valueOffsets, child: this.item.finish() as Data<Utf8> });
  }
  reset(): void {
    this.length = 0;
    this.validity.reset();
    this.item.reset();
  }
}

export function builderFor(type: DataType): ColumnBuilder {
  const name = String(type);
  if (name === 'Utf8') return new Utf8Builder(type);
  if (name === 'Int64') return new FixedBuilder(type, true);
  if (name === 'Float64') return new FixedBuilder(type, false);
  if (name === 'Bool') return new BoolBuilder(type);
  if (name === 'List<Struct<{role:Utf8, content:Utf8}>>') return new MessagesBuilder(type as List<Struct>);
  if (name === 'List<Utf8>') return new ChatBuilder(type as List<Utf8>);
  throw new Error(`no Arrow builder for ${name}`);
}
