import type { ToolSchema } from '../../schemas/chatml.js';
import { parsePyLiteralNoting } from './py-literal.js';
import { describe, isObject, own, problem, type Problem } from './problem.js';
import { inexactNumbers, NUMBER_TO_CHECK, scanJsonText } from '../validate/json-text.js';

export type ToolsResult = { ok: true; tools?: ToolSchema[] } | Problem;

/** JSON or a Python literal inside a string: its value, or undefined; `inexact` names a number it would change. */
export type Embedded = { value: unknown; inexact?: string };

/**
 * Parse JSON, falling back to a Python literal; value undefined when neither parses. The value is
 * re-serialized later (tool calls, tools, tool responses), so a number a double cannot hold would change
 * silently there: it is named in `inexact` for the caller to reject.
 */
export function parseEmbedded(text: string): Embedded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parsePyLiteralNoting(text);
  }
  if (scanJsonText(text, Infinity) & NUMBER_TO_CHECK) {
    const [first] = inexactNumbers(text);
    if (first) return { value, inexact: first.text };
  }
  return { value };
}

/** Parse JSON, falling back to a Python literal; undefined when neither parses or a number would change. */
export function parseLoose(text: string): unknown {
  const parsed = parseEmbedded(text);
  return parsed.inexact === undefined ? parsed.value : undefined;
}

/** The reject for embedded JSON holding a number a double would change. */
export const inexactNumberProblem = (token: string, what: string, path: string): Problem =>
  problem(
    'invalid_number',
    `${what} hold${what.endsWith('s') ? '' : 's'} the number ${token.length > 40 ? `${token.slice(0, 40)}...` : token}, which cannot be kept exactly as a double (out of range, or an integer beyond ±(2^53-1))`,
    path,
  );

/**
 * Normalize a `tools` field to OpenAI function schemas. Accepts an array or a JSON string of one
 * (glaive and LLaMA-Factory store it as a string), with items either already OpenAI-shaped
 * ({type: "function", function: {...}}) or bare function schemas ({name, description, parameters}).
 */
export function parseTools(raw: unknown, path: string): ToolsResult {
  if (raw === undefined || raw === null || raw === '') return { ok: true };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    const parsed = parseEmbedded(raw);
    if (parsed.inexact !== undefined) return inexactNumberProblem(parsed.inexact, 'tools', path);
    value = parsed.value;
    if (value === undefined) return problem('invalid_tools', 'tools is a string that is not JSON', path);
  }
  if (isObject(value)) value = [value];
  if (!Array.isArray(value)) return problem('invalid_tools', `tools must be a list, got ${describe(value)}`, path);
  const tools: ToolSchema[] = [];
  for (let i = 0; i < value.length; i++) {
    const tool = toToolSchema(value[i]);
    if (!tool) return problem('invalid_tools', 'each tool needs a function name', `${path}[${i}]`);
    tools.push(tool);
  }
  return { ok: true, tools: tools.length ? tools : [] };
}

function toToolSchema(item: unknown): ToolSchema | undefined {
  if (!isObject(item)) return undefined;
  const fn = isObject(own(item, 'function')) ? (own(item, 'function') as Record<string, unknown>) : item;
  const name = own(fn, 'name');
  if (typeof name !== 'string' || name.length === 0) return undefined;
  // Object.fromEntries defines own properties, so a `__proto__` key stays data instead of a prototype.
  return { type: 'function', function: Object.fromEntries(Object.entries(fn)) as ToolSchema['function'] };
}

/**
 * The tools listed in a Hermes system prompt between <tools> and </tools>, if they parse. Hermes prompts
 * often mention the tags in prose first ("signatures within <tools></tools> XML tags"), so empty blocks
 * are skipped and the first block that parses wins.
 */
export function toolsFromSystemPrompt(system: string): ToolSchema[] | undefined {
  for (const m of system.matchAll(/<tools>([\s\S]*?)<\/tools>/g)) {
    const body = m[1].trim();
    if (!body) continue;
    let value = parseLoose(body);
    if (value === undefined) {
      // One JSON object per line is another common layout.
      const items = body.split('\n').filter((l) => l.trim()).map((l) => parseLoose(l.trim()));
      if (items.some((x) => x === undefined)) continue;
      value = items;
    }
    const parsed = parseTools(value, 'tools');
    if (parsed.ok && parsed.tools) return parsed.tools;
  }
  return undefined;
}
