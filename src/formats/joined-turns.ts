import type { Message, Role } from '../../schemas/chatml.js';
import { normalizeTurns, type TurnOptions } from './turns.js';
import { isObject, problem, type Problem } from './problem.js';
import type { ToolCall } from './tool-calls.js';

/** A side of a record as its source stores it: a string, one message object, or a list of turns. */
export type RawSide = { value: unknown; path: string };

/**
 * The turns a raw side stands for. A plain string becomes one message with `role` (TRL's standard
 * format: the prompt is user text, a completion is assistant text); one message object becomes a list.
 */
export function sideTurns(side: RawSide, role: Role, keys: { roleKey?: string; contentKey?: string } = {}): unknown[] | Problem {
  const v = side.value;
  // Under a column mapping the turns are read by the mapped key names, so the made-up turn uses them too.
  if (typeof v === 'string') return [{ [keys.roleKey ?? 'role']: role, [keys.contentKey ?? 'content']: v }];
  if (Array.isArray(v)) return v;
  if (isObject(v)) return [v];
  return problem('invalid_messages', `${side.path} must be text, a message or a list of messages`, side.path);
}

/** A prompt and its response, normalized together; the tool calls and warnings are those of both. */
export interface JoinedTurns {
  prompt: Message[];
  response: Message[];
  calls: ToolCall[];
  warnings: string[];
}

/**
 * Normalize a prompt and a response together, exactly as SFT normalizes a conversation (tool calls,
 * tool results, typed parts), then split them again. Doing it in one pass matters: a tool result in
 * the response must find its call in the prompt. normalizeTurns emits one message per turn, so the
 * split point is the prompt's turn count.
 */
export function normalizeSplit(
  prompt: RawSide,
  response: RawSide,
  turnOptions: Omit<TurnOptions, 'path'> = {},
): JoinedTurns | Problem {
  const p = sideTurns(prompt, 'user', turnOptions);
  if (!Array.isArray(p)) return p;
  const r = sideTurns(response, 'assistant', turnOptions);
  if (!Array.isArray(r)) return r;
  const res = normalizeTurns([...p, ...r], { ...turnOptions, path: '\u0000' });
  if (!res.ok) return { ...res, message: relabel(res.message, prompt, response, p.length), path: relabel(res.path, prompt, response, p.length) };
  return { prompt: res.messages.slice(0, p.length), response: res.messages.slice(p.length), calls: res.calls, warnings: res.warnings };
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

