/**
 * A small seeded PRNG (mulberry32) so every fuzz run is reproducible from its seed alone.
 * Plain .mjs so the vitest test and `node bench/fuzz.mjs` share one copy without a build step.
 */

/** @param {number} seed */
export function createRng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    /** integer in [0, n) */
    int: (n) => Math.floor(next() * n),
    /** integer in [lo, hi] */
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** a fresh generator derived from this one, so sub-streams do not shift when one of them changes */
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
