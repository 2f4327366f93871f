/**
 * A growable list of 32-bit unsigned values in one typed array, reused from one record (or text) to the next so a
 * hot path allocates nothing per item: n-gram hashes in curation, token ids in the compiled encoder.
 */
export class U32Buffer {
  data = new Uint32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** The values pushed since the last clear, as a view that the next push past the capacity leaves stale. */
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}
