import { isObject, own } from '../formats/problem.js';
import type { Message } from '../../schemas/chatml.js';
import { parseRating } from './checks.js';
import { normalizeSplit, sameMessages } from './messages.js';
import { fromImplicit } from './implicit.js';
import type { ShapeResult } from './types.js';

/** TRL's test for conversational data: a list whose first item is a {role, content} object. */
export const isConversational = (v: unknown): boolean =>
  Array.isArray(v) && isObject(v[0]) && Object.hasOwn(v[0], 'role') && Object.hasOwn(v[0], 'content');

/**
 * `{prompt, chosen, rejected}` in TRL's standard (strings) or conversational (message lists) form.
 * As TRL's `maybe_extract_prompt`: a text prompt next to conversational sides is ignored and the
 * prompt is extracted from the sides. Unlike TRL, a side that repeats the prompt ahead of its answer
 * has that copy removed, so `chosen` never holds the whole conversation.
 */
export function fromExplicit(record: Record<string, unknown>, format = 'explicit'): ShapeResult {
  const prompt = own(record, 'prompt');
  const chosen = own(record, 'chosen');
  const rejected = own(record, 'rejected');
  if (typeof prompt === 'string' && isConversational(chosen)) return fromImplicit(record, format);

  const c = normalizeSplit({ value: prompt, path: 'prompt' }, { value: chosen, path: 'chosen' });
  if ('ok' in c) return c;
  const r = normalizeSplit({ value: prompt, path: 'prompt' }, { value: rejected, path: 'rejected' });
  if ('ok' in r) return r;
  const chosenMsgs = stripRepeatedPrompt(c.prompt, c.response);
  const rejectedMsgs = stripRepeatedPrompt(c.prompt, r.response);
  return {
    kind: 'fixed',
    format,
    prompt: c.prompt,
    chosen: { messages: chosenMsgs, score: parseRating(own(record, 'score_chosen')), path: 'chosen' },
    rejected: { messages: rejectedMsgs, score: parseRating(own(record, 'score_rejected')), path: 'rejected' },
  };
}

function stripRepeatedPrompt(prompt: Message[], side: Message[]): Message[] {
  if (side.length > prompt.length && sameMessages(side.slice(0, prompt.length), prompt)) return side.slice(prompt.length);
  return side;
}
