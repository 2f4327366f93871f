import type { ToolSchema } from '../../schemas/chatml.js';
import { parsePyLiteral } from './py-literal.js';
import { describe, isObject, own, problem, type Problem } from './problem.js';

export type ToolsResult = { ok: true; tools?: ToolSchema[] } | Problem;

/** Parse JSON, falling back to a Python literal; undefined when neither parses. */
export function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parsePyLiteral(text);
  }
}

/**
 * Normalize a `tools` field to OpenAI function schemas. Accepts an array or a JSON string of one
 * (glaive and LLaMA-Factory store it as a string), with items either already OpenAI-shaped
 * ({type: "function", function: {...}}) or bare function schemas ({name, description, parameters}).
 */
export function parseTools(raw: unknown, path: string): ToolsResult {
  if (raw === undefined || raw === null || raw === '') return { ok: true };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    value = parseLoose(raw);
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
