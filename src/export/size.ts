/**
 * Byte sizes as `datasets` spells them for `max_shard_size`: KB/MB/GB/TB are powers of 1000,
 * KiB/MiB/GiB/TiB powers of 1024, a bare number is bytes.
 */
export const KB = 1000;
export const MB = 1000 * KB;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Parse `500MB`, `1GB`, `100KB`, `64MiB`, `12345`. Returns null for anything else (the caller words the error). */
export function parseSize(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? Math.floor(text) : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const unit = m[2].toLowerCase() || 'b';
  const factor = Object.prototype.hasOwnProperty.call(UNITS, unit) ? UNITS[unit] : undefined;
  if (factor === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * factor);
  return bytes > 0 ? bytes : null;
}

/** A byte count on the decimal unit ladder the Hub uses: [value, unit], e.g. [12.3, 'MB']. */
export function decimalUnits(bytes: number): [number, string] {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return [v, units[u]];
}

/** Human-readable size for the card, decimal units like the Hub shows. */
export function formatSize(bytes: number): string {
  const [v, unit] = decimalUnits(bytes);
  return unit === 'B' ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${unit}`;
}
