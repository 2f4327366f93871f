import type { PreferencePair } from '../../schemas/preference.js';
import { drop, keep, reject, type Keep, type Outcome } from '../types.js';
import { buildRecords, type TokenCounter } from './build.js';
import type { Labelled, PairOptions } from './types.js';

interface Waiting {
  item: Keep<unknown>;
  shape: Labelled;
}

/**
 * Pair KTO records by prompt: within one file, records with the same prompt (and tools) are grouped;
 * the k-th desirable record is paired with the k-th undesirable one, in input order. The pair belongs
 * to the desirable record; the undesirable one is dropped as `merged_into_pair` (its text lives on as
 * the rejected side); records left without a counterpart are dropped as `no_counterpart`.
 * Outcomes come out in input order so each record's outcomes stay together.
 */
export function* pairKtoGroups(waiting: Waiting[], p: { options: PairOptions; tokens?: TokenCounter }): Generator<Outcome<PreferencePair>> {
  const groups = new Map<string, Waiting[]>();
  for (const w of waiting) {
    const key = JSON.stringify([w.item.ref.source, w.shape.prompt, w.shape.tools ?? null]);
    const g = groups.get(key);
    if (g) g.push(w);
    else groups.set(key, [w]);
  }
  const fate = new Map<Waiting, Outcome<PreferencePair>>();
  for (const group of groups.values()) {
    const good = group.filter((w) => w.shape.label);
    const bad = group.filter((w) => !w.shape.label);
    const n = Math.min(good.length, bad.length);
    for (let k = 0; k < n; k++) {
      const g = good[k];
      const b = bad[k];
      const built = buildRecords(
        {
          kind: 'fixed',
          format: 'kto',
          prompt: g.shape.prompt,
          chosen: { messages: g.shape.completion, score: null, path: 'messages' },
          rejected: { messages: b.shape.completion, score: null, path: 'messages' },
          tools: g.shape.tools,
        },
        { source: g.item.ref.source, index: g.item.ref.index, options: p.options, tokens: p.tokens },
      );
      if (built.ok) {
        const pair = built.records[0] as PreferencePair;
        fate.set(g, keep(g.item.ref, pair, g.item.raw));
        fate.set(b, drop(b.item.ref, 'merged_into_pair', `used as the rejected side of ${pair.id}`));
      } else {
        fate.set(g, reject(g.item.ref, built.reason, built.message, g.item.raw, built.path));
        fate.set(b, reject(b.item.ref, built.reason, built.message, b.item.raw, built.path));
      }
    }
  }
  for (const w of waiting) {
    const label = w.shape.label ? 'desirable' : 'undesirable';
    yield fate.get(w) ?? drop(w.item.ref, 'no_counterpart', `no ${w.shape.label ? 'undesirable' : 'desirable'} record shares this ${label} record's prompt`);
  }
}
