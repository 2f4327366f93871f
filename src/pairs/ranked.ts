import type { Message } from '../../schemas/chatml.js';
import { own, problem } from '../formats/problem.js';
import { RANKED_KEYS, firstKey } from './detect.js';
import { normalizeSplit } from './messages.js';
import { promptSide, responseValue } from './ultrafeedback.js';
import type { Candidate, ShapeResult } from './types.js';

/**
 * Ranked lists: `{prompt, ranked: [best, …, worst]}`. A position becomes a score (n-1 for the best
 * down to 0), so margins count rank steps and every strategy works unchanged. Items may be text,
 * messages, or objects with a `response`.
 */
export function fromRanked(record: Record<string, unknown>): ShapeResult {
  const prompt = promptSide(record);
  if (!prompt) return problem('missing_prompt', 'no prompt field', '');
  const key = firstKey(record, RANKED_KEYS)!;
  const items = own(record, key);
  if (!Array.isArray(items)) return problem('invalid_completions', `${key} must be a list, best first`, key);
  if (items.length < 2) return problem('too_few_completions', `${key} has ${items.length} response(s); a pair needs 2`, key);
  const candidates: Candidate[] = [];
  let promptMessages: Message[] = [];
  for (let i = 0; i < items.length; i++) {
    const path = `${key}[${i}]`;
    const value = responseValue(items[i]);
    if (value === undefined) return problem('invalid_completions', 'ranked item has no response text', path);
    const split = normalizeSplit(prompt, { value, path });
    if ('ok' in split) return split;
    if (i === 0) promptMessages = split.prompt;
    candidates.push({ messages: split.response, score: items.length - 1 - i, path });
  }
  return { kind: 'scored', format: 'ranked', prompt: promptMessages, candidates };
}
