/**
 * How `mix` sees an output record. An SFT conversation already carries what it needs (group fields and
 * n_tokens / n_response_tokens). A preference record is viewed as the tokens it stores once:
 * - a DPO pair: all = prompt + chosen + rejected, response = chosen + rejected;
 * - a KTO example: all = prompt + completion, response = completion.
 * (A DPO trainer reads the prompt twice, once per side; the budget counts the data, not the compute.)
 * Counting `pairs` / `records` needs no tokens at all.
 */
import type { Conversation } from '../../schemas/chatml.js';
import type { PairRecord } from '../pairs/stage.js';
import type { MixItem } from './collect.js';

export type Mixable = Conversation | PairRecord;

const sum = (...xs: (number | undefined)[]): number | undefined => (xs.every((x) => x !== undefined) ? xs.reduce((s, x) => s! + x!, 0) : undefined);

export function mixItemOf(value: Mixable): MixItem {
  if ('chosen' in value) {
    return {
      category: value.category,
      source: value.source,
      n_tokens: sum(value.n_prompt_tokens, value.n_chosen_tokens, value.n_rejected_tokens),
      n_response_tokens: sum(value.n_chosen_tokens, value.n_rejected_tokens),
    };
  }
  if ('completion' in value) {
    return {
      category: value.category,
      source: value.source,
      n_tokens: sum(value.n_prompt_tokens, value.n_completion_tokens),
      n_response_tokens: value.n_completion_tokens,
    };
  }
  return value;
}
