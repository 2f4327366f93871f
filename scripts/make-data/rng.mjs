// Deterministic randomness for the data generator. mulberry32 is tiny, fast and good enough for
// picking templates; a fixed seed makes every regeneration byte-identical.

/** mulberry32: a 32-bit state PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers bound to one PRNG stream so each file draws from its own, independent sequence. */
export function makeRng(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const shuffle = (arr) => {
    const a = [...arr];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const sample = (arr, n) => shuffle(arr).slice(0, n);
  const id = (len, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') =>
    Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  return { next, int, pick, chance, shuffle, sample, id };
}

/** Stable 32-bit string hash (FNV-1a) so each file's seed derives from its name. */
export function seedFor(name, base = 20240815) {
  let h = 0x811c9dc5 ^ base;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Round to `d` decimals without float noise such as 12.300000000000001. */
export const round = (x, d = 2) => Number(x.toFixed(d));

/** Format with thousands separators, fixed decimals, locale-independent. */
export function fmt(x, d = 2) {
  const [i, f] = Math.abs(x).toFixed(d).split('.');
  const withSep = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (x < 0 ? '-' : '') + withSep + (f ? `.${f}` : '');
}
