import type { Message, Role } from '../../schemas/chatml.js';
import { hermesMessages } from '../chatml/hermes-text.js';
import { normalizeTurns } from '../formats/turns.js';
import type { Problem } from '../formats/problem.js';
import { normalizeSplit as joinedSplit, sideTurns, type JoinedTurns, type RawSide } from '../formats/joined-turns.js';

export { sideTurns, type RawSide } from '../formats/joined-turns.js';

/**
 * A prompt and one response normalized together (src/formats/joined-turns.ts). Preference pairs keep tool calls
 * as Hermes text in `content`: their export is role/content only.
 */
export function normalizeSplit(prompt: RawSide, response: RawSide): JoinedTurns | Problem {
  const s = joinedSplit(prompt, response);
  if ('ok' in s) return s;
  return { ...s, prompt: hermesMessages(s.prompt), response: hermesMessages(s.response) };
}

/** Normalize one whole conversation (implicit-prompt shapes). */
export function normalizeWhole(side: RawSide, role: Role = 'assistant'): Message[] | Problem {
  const t = sideTurns(side, role);
  if (!Array.isArray(t)) return t;
  const res = normalizeTurns(t, { path: side.path });
  return res.ok ? hermesMessages(res.messages) : res;
}

export const sameMessage = (a: Message, b: Message): boolean => a.role === b.role && a.content === b.content;

export const sameMessages = (a: Message[], b: Message[]): boolean =>
  a.length === b.length && a.every((m, i) => sameMessage(m, b[i]));

/** Length of the longest common message prefix (TRL `extract_prompt` on conversational data). */
export function commonPrefixLength(a: Message[], b: Message[]): number {
  let i = 0;
  while (i < a.length && i < b.length && sameMessage(a[i], b[i])) i++;
  return i;
}

/** The text a response is compared and measured by: its messages' contents joined. */
export const responseText = (messages: Message[]): string => messages.map((m) => m.content).join('\n');
