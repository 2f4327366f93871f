import type { Message } from '../../schemas/chatml.js';
import { problem, type Problem } from '../formats/problem.js';
import { responseText } from './messages.js';

/** May a response side hold this role? Only the model's turns (and tool results between its calls). */
const RESPONSE_ROLES = new Set<Message['role']>(['assistant', 'tool']);

/**
 * The shape rules every emitted pair obeys, whatever its source. Returns the first broken rule.
 * Order matters only for which reason a doubly-broken record gets; it is fixed and documented.
 */
export function checkPair(prompt: Message[], chosen: Message[], rejected: Message[]): Problem | undefined {
  // A side that still holds user/system turns means the two conversations diverged before the last
  // turn: name that first, since an empty or assistant-ending prompt is only its symptom.
  for (const [name, side] of [['chosen', chosen], ['rejected', rejected]] as const) {
    const stray = side.findIndex((m) => !RESPONSE_ROLES.has(m.role));
    if (stray >= 0 && side[side.length - 1].role === 'assistant') {
      return problem('prompt_mismatch', `${name} holds a ${side[stray].role} turn: the sides disagree on the prompt`, `${name}[${stray}]`);
    }
  }
  if (prompt.length === 0) return problem('missing_prompt', 'the pair has no prompt messages', 'prompt');
  if (prompt[prompt.length - 1].role === 'assistant') {
    return problem('prompt_ends_with_assistant', 'the prompt must end on a user, system or tool turn', 'prompt');
  }
  for (const [name, side] of [['chosen', chosen], ['rejected', rejected]] as const) {
    const bad = checkResponse(name, side);
    if (bad) return bad;
  }
  if (responseText(chosen) === responseText(rejected)) {
    return problem('identical_responses', 'chosen and rejected have the same text', 'rejected');
  }
  return undefined;
}

export function checkResponse(name: string, side: Message[]): Problem | undefined {
  if (side.length === 0) return problem('empty_response', `${name} has no messages`, name);
  const last = side[side.length - 1];
  if (last.role !== 'assistant') return problem('response_not_assistant', `${name} must end on an assistant turn`, name);
  const stray = side.findIndex((m) => !RESPONSE_ROLES.has(m.role));
  if (stray >= 0) {
    return problem('prompt_mismatch', `${name} holds a ${side[stray].role} turn: the sides disagree on the prompt`, `${name}[${stray}]`);
  }
  if (last.content.trim() === '') return problem('empty_response', `${name} ends on an empty assistant turn`, name);
  return undefined;
}

/** A rating as a number: finite numbers, or strings holding one ("3", " 4.5 "). Else null. */
export function parseRating(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  return null;
}
