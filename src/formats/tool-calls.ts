import { inexactNumberProblem, parseEmbedded } from './tools.js';
import { parseToolOutput, renderToolCall } from '../chatml/hermes-text.js';
import type { ToolCall as RecordToolCall } from '../../schemas/chatml.js';
import { isObject, own, problem, type Problem } from './problem.js';
import { inexactNumbers, NUMBER_TO_CHECK, scanJsonText } from '../validate/json-text.js';

/** One function call, normalized: arguments are always a JSON object. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  id?: string;
}

export type CallsResult = { ok: true; calls: ToolCall[]; warnings: string[] } | Problem;

export { renderToolCall, renderToolResponse } from '../chatml/hermes-text.js';

/** The record shape of a call (schemas/chatml.ts): `{id?, type: "function", function: {name, arguments}}`. */
export const recordCall = (c: ToolCall): RecordToolCall => ({
  ...(c.id !== undefined ? { id: c.id } : {}),
  type: 'function',
  function: { name: c.name, arguments: c.arguments },
});

/**
 * A tool's output as it goes into a response: parsed when it is a JSON object or list, else the text.
 * `inexact` names a number the parsed value would change (the caller rejects the record).
 */
export function toolOutputValue(text: string): { value: unknown; parsed: boolean; inexact?: string } {
  const out = parseToolOutput(text);
  if (out.parsed) {
    const t = text.trim();
    if (scanJsonText(t, Infinity) & NUMBER_TO_CHECK) {
      const [first] = inexactNumbers(t);
      if (first) return { ...out, inexact: first.text };
    }
  }
  return out;
}

/**
 * Normalize a call's arguments. A JSON string is parsed; a string that decodes to another JSON string
 * (double encoding, seen in real OpenAI files) is decoded once more and reported as a warning.
 */
function normalizeArguments(
  raw: unknown,
  path: string,
  warnings: string[],
): { ok: true; value: Record<string, unknown> } | Problem {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: {} };
  let value: unknown = raw;
  if (typeof value === 'string') {
    const parsed = parseEmbedded(value);
    if (parsed.inexact !== undefined) return inexactNumberProblem(parsed.inexact, 'tool call arguments', path);
    value = parsed.value;
    if (typeof value === 'string') {
      const again = parseEmbedded(value);
      if (isObject(again.value)) {
        if (again.inexact !== undefined) return inexactNumberProblem(again.inexact, 'tool call arguments', path);
        warnings.push('double_encoded_arguments');
        value = again.value;
      }
    }
  }
  if (value === undefined) return problem('tool_call_invalid_json', 'tool call arguments are not valid JSON', path);
  if (!isObject(value)) return problem('tool_call_invalid_json', 'tool call arguments must be a JSON object', path);
  return { ok: true, value };
}

/** Normalize one call object: OpenAI `{id, type, function: {name, arguments}}` or bare `{name, arguments}`. */
const isProblem = (v: ToolCall | Problem): v is Problem => (v as Problem).ok === false && 'reason' in v;

export function normalizeCall(raw: unknown, path: string, warnings: string[]): ToolCall | Problem {
  if (!isObject(raw)) return problem('tool_call_invalid_json', 'a tool call must be a JSON object', path);
  const fn = isObject(own(raw, 'function')) ? (own(raw, 'function') as Record<string, unknown>) : raw;
  const name = own(fn, 'name');
  if (typeof name !== 'string' || !name) return problem('tool_call_invalid_json', 'a tool call needs a "name"', path);
  const args = normalizeArguments(own(fn, 'arguments') ?? own(fn, 'parameters'), `${path}.arguments`, warnings);
  if (!args.ok) return args;
  const id = own(raw, 'id');
  return { name, arguments: args.value, ...(typeof id === 'string' ? { id } : {}) };
}

/** Calls written as text (a ShareGPT `function_call` turn, a typed `tool_call` part): one object or a list. */
export function parseCallText(text: string, path: string): CallsResult {
  const { value, inexact } = parseEmbedded(text.trim());
  if (inexact !== undefined) return inexactNumberProblem(inexact, 'a tool call', path);
  if (value === undefined) return problem('tool_call_invalid_json', 'tool call is not valid JSON', path);
  return normalizeCallList(Array.isArray(value) ? value : [value], path);
}

export function normalizeCallList(list: unknown[], path: string): CallsResult {
  const warnings: string[] = [];
  const calls: ToolCall[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = normalizeCall(list[i], list.length > 1 ? `${path}[${i}]` : path, warnings);
    if (isProblem(c)) return c;
    calls.push(c);
  }
  return { ok: true, calls, warnings };
}

const TOOL_CALL_BLOCK = /<tool_call>([\s\S]*?)<\/tool_call>/g;

/**
 * Hermes assistant text with `<tool_call>` blocks: every block must parse (JSON or a Python dict) and is
 * rewritten as canonical JSON; the text around the blocks is kept byte for byte.
 */
export function normalizeHermesCalls(content: string, path: string): { ok: true; content: string; calls: ToolCall[] } | Problem {
  if (!content.includes('<tool_call>')) return { ok: true, content, calls: [] };
  const calls: ToolCall[] = [];
  let failure: Problem | undefined;
  const rewritten = content.replace(TOOL_CALL_BLOCK, (_whole, body: string) => {
    const parsed = parseCallText(body, path);
    if (!parsed.ok) {
      failure ??= parsed;
      return _whole;
    }
    calls.push(...parsed.calls);
    return parsed.calls.map(renderToolCall).join('\n');
  });
  if (failure) return failure;
  return { ok: true, content: rewritten, calls };
}
