import { own } from '../formats/problem.js';
import { parseTools } from '../formats/tools.js';
import { normalizeSplit } from './messages.js';
import { fromImplicit } from './implicit.js';
import type { ShapeResult } from './types.js';

/**
 * LLaMA-Factory ranking data: `conversations` (ShareGPT turns ending on the human turn, optionally
 * after a `system` field) plus `chosen` and `rejected` as single assistant messages. The prompt is the
 * conversation; each side is its one message, normalized together with the prompt.
 */
export function fromLlamaFactory(record: Record<string, unknown>): ShapeResult {
  const key = own(record, 'conversations') !== undefined ? 'conversations' : 'messages';
  let turns = own(record, key);
  const system = own(record, 'system');
  if (typeof system === 'string' && system.length && Array.isArray(turns)) turns = [{ role: 'system', content: system }, ...turns];
  const tools = parseTools(own(record, 'tools'), 'tools');
  if (!tools.ok) return tools;
  const c = normalizeSplit({ value: turns, path: key }, { value: own(record, 'chosen'), path: 'chosen' });
  if ('ok' in c) return c;
  const r = normalizeSplit({ value: turns, path: key }, { value: own(record, 'rejected'), path: 'rejected' });
  if ('ok' in r) return r;
  return {
    kind: 'fixed',
    format: 'llamafactory',
    prompt: c.prompt,
    chosen: { messages: c.response, score: null, path: 'chosen' },
    rejected: { messages: r.response, score: null, path: 'rejected' },
    ...(tools.tools?.length ? { tools: tools.tools } : {}),
  };
}

/** LLaMA-Factory v1: `chosen_messages` / `rejected_messages`, whole conversations with typed parts. */
export function fromLlamaFactoryV1(record: Record<string, unknown>): ShapeResult {
  const shape = fromImplicit(record, 'llamafactory_v1', { chosen: 'chosen_messages', rejected: 'rejected_messages' });
  if ('ok' in shape) return shape;
  const tools = parseTools(own(record, 'tools'), 'tools');
  if (!tools.ok) return tools;
  return tools.tools?.length ? { ...shape, tools: tools.tools } : shape;
}
