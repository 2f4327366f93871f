import { isObject, own, problem } from '../formats/problem.js';
import { parseTools } from '../formats/tools.js';
import type { Message } from '../../schemas/chatml.js';
import type { Candidate, ShapeResult } from './types.js';
import { COMPLETION_LIST_KEYS, PROMPT_KEYS, firstKey } from './detect.js';
import { normalizeSplit } from './messages.js';
import { parseRating } from './checks.js';
import { scoreOf, type RatingRule } from './ratings.js';

const RESPONSE_KEYS = ['response', 'text', 'completion', 'output', 'content', 'messages'] as const;
const PARALLEL_SCORE_KEYS = ['ratings', 'scores', 'rewards'] as const;

/** The prompt side of a one-prompt-many-completions record: `messages`, else the first prompt key. */
export function promptSide(record: Record<string, unknown>): { value: unknown; path: string } | undefined {
  if (own(record, 'messages') !== undefined) return { value: own(record, 'messages'), path: 'messages' };
  const key = firstKey(record, PROMPT_KEYS);
  return key ? { value: own(record, key), path: key } : undefined;
}

/** A completion item's response: the item itself when it is text or messages, else its response field. */
export function responseValue(item: unknown): unknown {
  if (!isObject(item)) return item;
  const key = RESPONSE_KEYS.find((k) => own(item, k) !== undefined);
  return key ? own(item, key) : undefined;
}

/**
 * UltraFeedback-style records: one prompt, several completions, ratings per aspect or overall (as
 * numbers or numeric strings), or a parallel `ratings`/`scores` list. Each completion is normalized
 * together with the prompt, exactly like an SFT conversation.
 */
export function fromUltraFeedback(record: Record<string, unknown>, rule: RatingRule): ShapeResult {
  const prompt = promptSide(record);
  if (!prompt) return problem('missing_prompt', 'no prompt field', '');
  const listKey = firstKey(record, COMPLETION_LIST_KEYS)!;
  const items = own(record, listKey);
  if (!Array.isArray(items)) return problem('invalid_completions', `${listKey} must be a list`, listKey);
  if (items.length < 2) return problem('too_few_completions', `${listKey} has ${items.length} completion(s); a pair needs 2`, listKey);
  const parallelKey = firstKey(record, PARALLEL_SCORE_KEYS);
  const parallel = parallelKey ? own(record, parallelKey) : undefined;
  const tools = parseTools(own(record, 'tools'), 'tools');
  if (!tools.ok) return tools;

  const candidates: Candidate[] = [];
  let promptMessages: Message[] = [];
  for (let i = 0; i < items.length; i++) {
    const path = `${listKey}[${i}]`;
    const value = responseValue(items[i]);
    if (value === undefined) return problem('invalid_completions', 'completion has no response text', path);
    const split = normalizeSplit(prompt, { value, path });
    if ('ok' in split) return split;
    const score = Array.isArray(parallel) ? parseRating(parallel[i]) : scoreOf(items[i], rule);
    candidates.push({ messages: split.response, score, path });
    if (i === 0) promptMessages = split.prompt;
  }
  return {
    kind: 'scored',
    format: 'ultrafeedback',
    prompt: promptMessages,
    candidates,
    ...(tools.tools?.length ? { tools: tools.tools } : {}),
  };
}
