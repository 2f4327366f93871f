import { crc32 } from 'node:zlib';

/**
 * The container of a compiled tokenizer: one buffer that holds a JSON header and named typed-array sections,
 * so it can be read from disk into a single (Shared)ArrayBuffer and viewed without parsing or copying.
 *
 * Layout (little-endian, as every platform Node runs on):
 *   0   8 bytes  magic "CMTOKBIN"
 *   8   u32      format version
 *   12  u32      header JSON byte length
 *   16  f64      total byte length of the buffer
 *   24  u32      CRC-32 of every byte from 64 to the end (then 28 bytes of zeros)
 *   64  header JSON (UTF-8), then each section at an 8-byte-aligned offset the header names.
 *
 * The length and the checksum are what make a truncated or damaged cache file detectable: such a file is
 * rebuilt, never used. CRC-32 (zlib's, native) rather than sha256: damage, not tampering, is what it guards
 * against, and on a small run's start-up the 11 MB sha256 took tens of milliseconds, CRC-32 a few.
 */

const MAGIC = 'CMTOKBIN';
const PREFIX = 64;
/** Bump when the layout or the meaning of a section changes: older files are then rebuilt. */
export const COMPILED_FORMAT_VERSION = 2;

export type SectionArray = Int32Array | Uint32Array | Uint8Array;
type SectionKind = 'i32' | 'u32' | 'u8';
interface SectionRef {
  kind: SectionKind;
  offset: number;
  length: number;
}

export interface ContainerHeader<H> {
  meta: H;
  sections: Record<string, SectionRef>;
}

const kindOf = (a: SectionArray): SectionKind => (a instanceof Int32Array ? 'i32' : a instanceof Uint32Array ? 'u32' : 'u8');
const align8 = (n: number) => (n + 7) & ~7;

/** Lay out `meta` and `sections` into one buffer with its checksum. */
export function writeContainer<H>(meta: H, sections: Record<string, SectionArray>): Uint8Array {
  // The header names the offsets, and its own length moves them: lay out with a first guess, then fix.
  const refs: Record<string, SectionRef> = {};
  let reserved = 0;
  let headerBytes: Buffer;
  let total: number;
  for (;;) {
    let at = align8(PREFIX + reserved);
    for (const [name, arr] of Object.entries(sections)) {
      refs[name] = { kind: kindOf(arr), offset: at, length: arr.length };
      at = align8(at + arr.byteLength);
    }
    total = at;
    headerBytes = Buffer.from(JSON.stringify({ meta, sections: refs } satisfies ContainerHeader<H>), 'utf8');
    // Offsets only grow with the room reserved, so this settles; JSON allows the trailing spaces of padding.
    if (headerBytes.length <= reserved) {
      headerBytes = Buffer.concat([headerBytes, Buffer.alloc(reserved - headerBytes.length, 0x20)]);
      break;
    }
    reserved = headerBytes.length + 16;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  view.setUint32(8, COMPILED_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  view.setFloat64(16, total, true);
  out.set(headerBytes, PREFIX);
  for (const [name, arr] of Object.entries(sections)) out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), refs[name].offset);
  view.setUint32(24, crc32(out.subarray(PREFIX)), true);
  return out;
}

/** The CRC-32 a container's prefix holds (what readContainer verifies the bytes against), or undefined when too short. */
export function storedChecksum(buf: ArrayBufferLike): number | undefined {
  return buf.byteLength < PREFIX ? undefined : new DataView(buf as ArrayBuffer).getUint32(24, true);
}

export class ContainerError extends Error {
  override name = 'ContainerError';
}

/**
 * Check a buffer (magic, version, length, checksum) and return its header and section views. The views share
 * the buffer's memory (a SharedArrayBuffer stays shared). Throws ContainerError on any mismatch.
 */
export function readContainer<H>(buf: ArrayBufferLike, opts: { verify: boolean }): { meta: H; section(name: string): SectionArray } {
  const bytes = new Uint8Array(buf);
  checkPrefix(bytes);
  const view = new DataView(buf as ArrayBuffer);
  const total = view.getFloat64(16, true);
  if (total !== bytes.length) throw new ContainerError(`compiled tokenizer is ${bytes.length} bytes, its header says ${total} (truncated or padded)`);
  if (opts.verify) {
    if (crc32(bytes.subarray(PREFIX)) !== view.getUint32(24, true)) throw new ContainerError('compiled tokenizer checksum mismatch (damaged)');
  }
  const header = readHeader<H>(bytes);
  return {
    meta: header.meta,
    section(name) {
      const ref = header.sections[name];
      if (!ref) throw new ContainerError(`compiled tokenizer has no section ${name}`);
      if (ref.kind === 'i32') return new Int32Array(buf, ref.offset, ref.length);
      if (ref.kind === 'u32') return new Uint32Array(buf, ref.offset, ref.length);
      return new Uint8Array(buf, ref.offset, ref.length);
    },
  };
}

/** The prefix's length, magic and version. */
function checkPrefix(bytes: Uint8Array): void {
  if (bytes.length < PREFIX) throw new ContainerError(`compiled tokenizer is ${bytes.length} bytes, shorter than its ${PREFIX}-byte prefix`);
  if (Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') !== MAGIC) throw new ContainerError('not a compiled tokenizer (bad magic)');
  const version = new DataView(bytes.buffer, bytes.byteOffset, PREFIX).getUint32(8, true);
  if (version !== COMPILED_FORMAT_VERSION) throw new ContainerError(`compiled tokenizer format ${version}, expected ${COMPILED_FORMAT_VERSION}`);
}

/** Bytes from the start of a container up to the end of its header JSON (0: shorter than the prefix). */
export function headerEnd(bytes: Uint8Array): number {
  return bytes.length < PREFIX ? 0 : PREFIX + new DataView(bytes.buffer, bytes.byteOffset, PREFIX).getUint32(12, true);
}

/**
 * The prefix's magic and version, then the header JSON, from the first headerEnd(bytes) bytes of a container
 * (what a partial read needs to know where each section is). Throws ContainerError on any mismatch.
 */
export function readHeader<H>(bytes: Uint8Array): ContainerHeader<H> {
  checkPrefix(bytes);
  const end = headerEnd(bytes);
  if (end > bytes.length) throw new ContainerError(`compiled tokenizer is ${bytes.length} bytes, shorter than its header`);
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + PREFIX, end - PREFIX).toString('utf8')) as ContainerHeader<H>;
}
