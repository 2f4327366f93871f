import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { drop, keep } from '../types.js';
import { mapStage } from '../stage.js';
import { DEFAULT_PHRASES, type PhraseKind } from './refusal-phrases.js';

/**
 * refusals: assistant turns that refuse ("I'm sorry, but I can't…") or speak as another model ("As an AI
 * language model", "developed by OpenAI") are counted as the warnings `refusal` and `model_self_reference`.
 * `dropRefusals` drops refusing records (reason `refusal`); `dropSelfReference` drops self-referencing ones
 * (reason `model_self_reference`). Records in an exempt category (steering, alignment: refusing is what they
 * teach) are passed without a look.
 */
export interface RefusalOptions {
  /** Phrases added to the documented list, per kind. */
  phrases?: Partial<Record<PhraseKind, string[]>>;
  /** Use only `phrases`, not the documented list. */
  replacePhrases?: boolean;
  dropRefusals?: boolean;
  dropSelfReference?: boolean;
  /** Categories left alone; default steering and alignment. */
  exemptCategories?: string[];
}

export const DEFAULT_EXEMPT_CATEGORIES = ['steering', 'alignment'];

/** Curly apostrophes and quotes are read as straight ones, and runs of spaces as one. */
const fold = (s: string) => s.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').toLowerCase();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface PhraseMatcher {
  /** Each kind found in the text, with the first phrase of that kind as listed. */
  find(text: string): { kind: PhraseKind; phrase: string }[];
}

export function phraseMatcher(o: Pick<RefusalOptions, 'phrases' | 'replacePhrases'> = {}): PhraseMatcher {
  const kinds = Object.keys(DEFAULT_PHRASES) as PhraseKind[];
  const lists = kinds.map((kind) => {
    const phrases = [...(o.replacePhrases ? [] : DEFAULT_PHRASES[kind]), ...(o.phrases?.[kind] ?? [])].filter((p) => p.trim() !== '');
    const byFolded = new Map(phrases.map((p) => [fold(p), p]));
    // One alternation per kind: a single pass over the text whatever the number of phrases.
    const re = byFolded.size ? new RegExp([...byFolded.keys()].map(escape).join('|')) : undefined;
    return { kind, re, byFolded };
  });
  return {
    find(text) {
      const folded = fold(text);
      const hits: { kind: PhraseKind; phrase: string }[] = [];
      for (const { kind, re, byFolded } of lists) {
        const m = re?.exec(folded);
        if (m) hits.push({ kind, phrase: byFolded.get(m[0]) ?? m[0] });
      }
      return hits;
    },
  };
}

export function refusalsStage<T extends Conversation>(o: RefusalOptions = {}): Stage<T, T> {
  const matcher = phraseMatcher(o);
  const exempt = new Set(o.exemptCategories ?? DEFAULT_EXEMPT_CATEGORIES);
  return mapStage<T, T>('refusals', (item, ctx) => {
    const c = item.value;
    if (c.category !== undefined && exempt.has(c.category)) return keep(item.ref, c, item.raw);
    const found = new Map<PhraseKind, { phrase: string; turn: number }>();
    for (let i = 0; i < c.messages.length; i++) {
      if (c.messages[i].role !== 'assistant') continue;
      for (const hit of matcher.find(c.messages[i].content)) if (!found.has(hit.kind)) found.set(hit.kind, { phrase: hit.phrase, turn: i });
    }
    const refusal = found.get('refusal');
    const self = found.get('model_self_reference');
    if (refusal && o.dropRefusals) {
      return drop(item.ref, 'refusal', `assistant turn messages[${refusal.turn}] refuses: "${refusal.phrase}"`, { id: c.id, detail: { phrase: refusal.phrase, turn: refusal.turn, category: c.category ?? '' } });
    }
    if (self && o.dropSelfReference) {
      return drop(item.ref, 'model_self_reference', `assistant turn messages[${self.turn}] speaks as another model: "${self.phrase}"`, { id: c.id, detail: { phrase: self.phrase, turn: self.turn, category: c.category ?? '' } });
    }
    for (const kind of found.keys()) ctx.warn(kind, item.ref);
    return keep(item.ref, c, item.raw);
  });
}
