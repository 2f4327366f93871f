import type { Message } from '../../schemas/chatml.js';
import { own, problem } from '../formats/problem.js';
import { commonPrefixLength, normalizeWhole } from './messages.js';
import type { ShapeResult } from './types.js';

/**
 * Preference with an implicit prompt: `chosen` and `rejected` are whole conversations and the prompt
 * is their longest common prefix, as TRL's `extract_prompt` computes it. Conversational sides share
 * whole messages; text sides share characters, and a space just before the split point goes to the
 * completions (" blue." not "The sky is "), as TRL does.
 */
export function fromImplicit(
  record: Record<string, unknown>,
  format = 'implicit',
  keys: { chosen: string; rejected: string } = { chosen: 'chosen', rejected: 'rejected' },
): ShapeResult {
  const chosen = own(record, keys.chosen);
  const rejected = own(record, keys.rejected);
  if (typeof chosen === 'string' && typeof rejected === 'string') return fromText(chosen, rejected, format);
  if (!Array.isArray(chosen) || !Array.isArray(rejected)) {
    return problem('invalid_messages', `${keys.chosen} and ${keys.rejected} must both be text or both be message lists`, keys.chosen);
  }
  const c = normalizeWhole({ value: chosen, path: keys.chosen });
  if (!Array.isArray(c)) return c;
  const r = normalizeWhole({ value: rejected, path: keys.rejected });
  if (!Array.isArray(r)) return r;
  const k = commonPrefixLength(c, r);
  return {
    kind: 'fixed',
    format,
    prompt: c.slice(0, k),
    chosen: { messages: c.slice(k), score: null, path: keys.chosen },
    rejected: { messages: r.slice(k), score: null, path: keys.rejected },
  };
}

/** TRL's character-level split of two texts into prompt + completions. */
export function splitText(chosen: string, rejected: string): { prompt: string; chosen: string; rejected: string } {
  const n = Math.min(chosen.length, rejected.length);
  let idx = 0;
  while (idx < n && chosen[idx] === rejected[idx]) idx++;
  if (idx > 0 && chosen[idx - 1] === ' ') idx--;
  return { prompt: chosen.slice(0, idx), chosen: chosen.slice(idx), rejected: rejected.slice(idx) };
}

function fromText(chosen: string, rejected: string, format: string): ShapeResult {
  const s = splitText(chosen, rejected);
  const prompt: Message[] = s.prompt.length ? [{ role: 'user', content: s.prompt }] : [];
  return {
    kind: 'fixed',
    format,
    prompt,
    chosen: { messages: [{ role: 'assistant', content: s.chosen }], score: null, path: 'chosen' },
    rejected: { messages: [{ role: 'assistant', content: s.rejected }], score: null, path: 'rejected' },
  };
}
