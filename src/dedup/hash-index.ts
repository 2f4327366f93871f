/**
 * A set of 16-byte hashes, each with a fixed-size reference (three uint32 words), in typed arrays only:
 * no per-entry JS object or string, so memory per distinct entry is fixed whatever the records hold.
 *
 * Entries sit densely in fixed-size chunks (never copied when the set grows); an open-addressing table of
 * entry numbers (linear probing, at most half full, doubled when it fills) finds them. At n entries this
 * is 28 bytes of entry plus 8-16 bytes of table each.
 */

const HASH_WORDS = 4;
const REF_WORDS = 3;
const ENTRY_WORDS = HASH_WORDS + REF_WORDS;
const CHUNK_BITS = 14;
const CHUNK_ENTRIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ENTRIES - 1;

export type Ref = [number, number, number];

export class HashIndex {
  private readonly chunks: Uint32Array[] = [];
  /** Entry number + 1 per slot; 0 marks an empty slot. */
  private slots = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays (for the memory bench). */
  get bytes(): number {
    return this.slots.byteLength + this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }

  /** The entry number of `hash` (16 bytes), or -1 when it is not in the set. */
  find(hash: Uint8Array): number {
    const h = words(hash);
    const mask = this.slots.length - 1;
    for (let s = h[0] & mask; ; s = (s + 1) & mask) {
      const slot = this.slots[s];
      if (slot === 0) return -1;
      if (this.hashEquals(slot - 1, h)) return slot - 1;
    }
  }

  /** Add `hash` (not already present, see find) with its reference; returns its entry number. */
  add(hash: Uint8Array, ref: Ref): number {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const e = this.count++;
    if ((e & CHUNK_MASK) === 0) this.chunks.push(new Uint32Array(CHUNK_ENTRIES * ENTRY_WORDS));
    const chunk = this.chunks[e >>> CHUNK_BITS];
    const at = (e & CHUNK_MASK) * ENTRY_WORDS;
    const h = words(hash);
    chunk.set(h, at);
    chunk[at + 4] = ref[0];
    chunk[at + 5] = ref[1];
    chunk[at + 6] = ref[2];
    this.place(e, h[0]);
    return e;
  }

  ref(e: number): Ref {
    const chunk = this.chunks[e >>> CHUNK_BITS];
    const at = (e & CHUNK_MASK) * ENTRY_WORDS + HASH_WORDS;
    return [chunk[at], chunk[at + 1], chunk[at + 2]];
  }

  private hashEquals(e: number, h: Uint32Array): boolean {
    const chunk = this.chunks[e >>> CHUNK_BITS];
    const at = (e & CHUNK_MASK) * ENTRY_WORDS;
    return chunk[at] === h[0] && chunk[at + 1] === h[1] && chunk[at + 2] === h[2] && chunk[at + 3] === h[3];
  }

  private place(e: number, h0: number): void {
    const mask = this.slots.length - 1;
    let s = h0 & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let e = 0; e < this.count; e++) this.place(e, this.chunks[e >>> CHUNK_BITS][(e & CHUNK_MASK) * ENTRY_WORDS]);
  }
}

const scratch = new Uint32Array(HASH_WORDS);

/** The first 16 bytes of a hash as four uint32 words (a shared scratch array: use before the next call). */
function words(hash: Uint8Array): Uint32Array {
  const view = new DataView(hash.buffer, hash.byteOffset, HASH_WORDS * 4);
  for (let i = 0; i < HASH_WORDS; i++) scratch[i] = view.getUint32(i * 4, true);
  return scratch;
}
