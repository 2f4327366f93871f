import type { Message, Role } from '../../schemas/chatml.js';
import { hermesMessages } from '../chatml/hermes-text.js';
import { normalizeTurns } from '../formats/turns.js';
import { isObject, problem, type Problem } from '../formats/problem.js';

/** A side of a record as its source stores it: a string, one message object, or a list of turns. */
export type RawSide = { value: unknown; path: string };

/**
 * The turns a raw side stands for. A plain string becomes one message with `role` (TRL's standard
 * format: the prompt is user text, a completion is assistant text); one message object becomes a list.
 */
export function sideTurns(side: RawSide, role: Role): unknown[] | Problem {
  const v = side.value;
  if (typeof v === 'string') return [{ role, content: v }];
  if (Array.isArray(v)) return v;
  if (isObject(v)) return [v];
  return problem('invalid_messages', `${side.path} must be text, a message or a list of messages`, side.path);
}

/**
 * Normalize a prompt and a response together, exactly as SFT normalizes a conversation (tool calls,
 * tool results, typed parts), then split them again. Doing it in one pass matters: a tool result in
 * the response must find its call in the prompt. normalizeTurns emits one message per turn, so the
 * split point is the prompt's turn count.
 */
export function normalizeSplit(prompt: RawSide, response: RawSide): { prompt: Message[]; response: Message[] } | Problem {
  const p = sideTurns(prompt, 'user');
  if (!Array.isArray(p)) return p;
  const r = sideTurns(response, 'assistant');
  if (!Array.isArray(r)) return r;
  const res = normalizeTurns([...p, ...r], { path: '\u0000' });
  if (!res.ok) return { ...res, message: relabel(res.message, prompt, response, p.length), path: relabel(res.path, prompt, response, p.length) };
  // Preference pairs keep tool calls as Hermes text in `content` (their export is role/content only).
  const messages = hermesMessages(res.messages);
  return { prompt: messages.slice(0, p.length), response: messages.slice(p.length) };
}

/** Normalize one whole conversation (implicit-prompt shapes). */
export function normalizeWhole(side: RawSide, role: Role = 'assistant'): Message[] | Problem {
  const t = sideTurns(side, role);
  if (!Array.isArray(t)) return t;
  const res = normalizeTurns(t, { path: side.path });
  return res.ok ? hermesMessages(res.messages) : res;
}

/** Map `\0[i]` paths from the joined list back to `prompt[i]` or `chosen[j]`. */
function relabel(text: string, prompt: RawSide, response: RawSide, nPrompt: number): string {
  return text.replace(/\u0000\[(\d+)\]/g, (_m, d: string) => {
    const i = Number(d);
    const side = i < nPrompt ? prompt : response;
    const j = i < nPrompt ? i : i - nPrompt;
    return Array.isArray(side.value) ? `${side.path}[${j}]` : side.path;
  }).replace(/\u0000/g, prompt.path);
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
