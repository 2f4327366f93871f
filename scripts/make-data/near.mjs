// The generator's own estimate of how alike two conversations are, so that good records are not near-duplicates
// of each other (the default pipeline runs near_dedup) and planted near-duplicates have a known similarity.
// Word 5-grams of the user and assistant turns (and tool calls), after NFKC, lower case, and folding everything
// that is not a letter or digit to a space: the rule of docs/curation.md, written here independently.
const words = (t) => t.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);

export const turnText = (c) => c.messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => [m.reasoning ?? '', m.content ?? '', ...(m.calls ?? []).map((k) => JSON.stringify({ name: k.name, arguments: k.arguments }))].join(' ')).join(' ');

export function shingles(c) {
  const w = words(turnText(c));
  const s = new Set();
  if (w.length < 5) s.add(w.join(' '));
  for (let i = 0; i + 5 <= w.length; i++) s.add(w.slice(i, i + 5).join(' '));
  return s;
}

export function jaccard(a, b) {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Every accepted conversation's shingles, indexed so a new one is compared only with those it shares one with. */
export function nearIndex() {
  const postings = new Map();
  const sizes = [];
  return {
    /** The highest Jaccard of `s` with any accepted conversation. */
    best(s) {
      const shared = new Map();
      for (const g of s) for (const id of postings.get(g) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
      let best = 0;
      for (const [id, n] of shared) best = Math.max(best, n / (s.size + sizes[id] - n));
      return best;
    },
    add(s) {
      const id = sizes.length;
      sizes.push(s.size);
      for (const g of s) {
        let list = postings.get(g);
        if (!list) postings.set(g, (list = []));
        list.push(id);
      }
    },
  };
}

/** Good records stay below this estimate of each other: a margin under near_dedup's 0.8. */
export const NEAR_LIMIT = 0.7;
