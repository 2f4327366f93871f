import { describe, isObject, own, problem } from '../formats/problem.js';
import { parseTools } from '../formats/tools.js';
import { normalizeSplit } from './messages.js';
import type { ShapeResult } from './types.js';

/**
 * OpenAI's preference fine-tuning (DPO) records: `{"input": {"messages": [...], "tools"?: [...],
 * "parallel_tool_calls"?}, "preferred_output": [assistant message], "non_preferred_output": [assistant message]}`.
 * The prompt is `input.messages`; each output is normalized together with it, through the same turn and
 * tool normalization as the `openai` SFT adapter (src/formats/turns.ts, src/formats/tools.ts).
 */
export function fromOpenAIPreference(record: Record<string, unknown>): ShapeResult {
  const input = own(record, 'input');
  if (!isObject(input)) return problem('invalid_field', `input must be an object holding messages, got ${describe(input)}`, 'input');
  const messages = own(input, 'messages');
  if (!Array.isArray(messages)) return problem('invalid_messages', `input.messages must be a list of messages, got ${describe(messages)}`, 'input.messages');
  const tools = parseTools(own(input, 'tools'), 'input.tools');
  if (!tools.ok) return tools;
  const sides = [];
  for (const key of ['preferred_output', 'non_preferred_output'] as const) {
    const output = own(record, key);
    if (!Array.isArray(output)) return problem('invalid_messages', `${key} must be a list of assistant messages, got ${describe(output)}`, key);
    const split = normalizeSplit({ value: messages, path: 'input.messages' }, { value: output, path: key });
    if ('ok' in split) return split;
    sides.push(split);
  }
  const [preferred, other] = sides;
  return {
    kind: 'fixed',
    format: 'openai_preference',
    prompt: preferred.prompt,
    chosen: { messages: preferred.response, score: null, path: 'preferred_output' },
    rejected: { messages: other.response, score: null, path: 'non_preferred_output' },
    ...(tools.tools?.length ? { tools: tools.tools } : {}),
  };
}
