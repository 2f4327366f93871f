import { isObject, own } from '../formats/problem.js';

/** The preference shapes chatmill reads. */
export type PreferenceFormat =
  | 'hh'
  | 'llamafactory_v1'
  | 'llamafactory'
  | 'explicit'
  | 'implicit'
  | 'kto'
  | 'ranked'
  | 'ultrafeedback'
  | 'openai_preference'
  | 'pairwise_judgment';

const HH_MARKERS = /\n\nHuman:[\s\S]*\n\nAssistant:/;

export const has = (o: Record<string, unknown>, key: string): boolean => own(o, key) !== undefined;

/** The first of `keys` the record has. */
export const firstKey = (o: Record<string, unknown>, keys: readonly string[]): string | undefined => keys.find((k) => has(o, k));

export const PROMPT_KEYS = ['prompt', 'instruction', 'raw_text', 'question', 'text'] as const;
export const COMPLETION_LIST_KEYS = ['completions', 'responses', 'outputs', 'generations'] as const;
export const RANKED_KEYS = ['ranked', 'ranked_responses', 'ranking'] as const;

/**
 * Which preference shape a parsed record has, decided from its keys alone so the rule is easy to
 * state: the most specific shape wins (HH transcripts and the LLaMA-Factory forms before the generic
 * TRL ones). Undefined when the record is no preference data at all.
 */
export function detectPreference(record: unknown): PreferenceFormat | undefined {
  if (!isObject(record)) return undefined;
  if (has(record, 'preferred_output') && has(record, 'non_preferred_output')) return 'openai_preference';
  if (has(record, 'output_1') && has(record, 'output_2')) return 'pairwise_judgment';
  const chosen = own(record, 'chosen');
  const rejected = own(record, 'rejected');
  if (typeof chosen === 'string' && typeof rejected === 'string' && !has(record, 'prompt')) {
    if (HH_MARKERS.test(chosen) || HH_MARKERS.test(rejected)) return 'hh';
  }
  if (has(record, 'chosen_messages') && has(record, 'rejected_messages')) return 'llamafactory_v1';
  if (chosen !== undefined && rejected !== undefined) {
    // LLaMA-Factory: the conversation so far plus one chosen and one rejected message object.
    if ((has(record, 'conversations') || has(record, 'messages')) && isObject(chosen) && isObject(rejected)) return 'llamafactory';
    return has(record, 'prompt') ? 'explicit' : 'implicit';
  }
  if (typeof own(record, 'label') === 'boolean' && (has(record, 'messages') || has(record, 'completion'))) return 'kto';
  if (firstKey(record, RANKED_KEYS)) return 'ranked';
  if (firstKey(record, COMPLETION_LIST_KEYS) && (firstKey(record, PROMPT_KEYS) || has(record, 'messages'))) return 'ultrafeedback';
  return undefined;
}
