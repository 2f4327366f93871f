import type { Message } from '../../schemas/chatml.js';
import { pyJson } from '../formats/py-json.js';

/** A turn as TRL, transformers' chat templates and the OpenAI format take it. */
export interface TrlMessage {
  role: Message['role'];
  content: string;
  tool_calls?: { id?: string; type: 'function'; function: { name: string; arguments: string } }[];
  name?: string;
  tool_call_id?: string;
}

/**
 * A turn in the shape TRL documents for tool calling: assistant `tool_calls` with `function.arguments` as a
 * JSON string (the OpenAI convention; a Parquet column cannot hold one struct type for every function's
 * arguments), tool turns with `name` and `tool_call_id`. The string is written with Python `json.dumps`
 * spacing, so a template that prints string arguments as they are (Hermes 3 `tool_use`, Qwen 3) writes the
 * same `<tool_call>` text chatmill renders and counts. Keys a turn does not have are left out, not null:
 * chat templates test `message.tool_calls is defined`.
 */
export function trlMessage(m: Message): TrlMessage {
  const out: TrlMessage = { role: m.role, content: m.content };
  if (m.tool_calls) {
    out.tool_calls = m.tool_calls.map((c) => ({
      ...(c.id !== undefined ? { id: c.id } : {}),
      type: 'function',
      function: { name: c.function.name, arguments: pyJson(c.function.arguments) },
    }));
  }
  if (m.name !== undefined) out.name = m.name;
  if (m.tool_call_id !== undefined) out.tool_call_id = m.tool_call_id;
  return out;
}

export const trlMessages = (messages: readonly Message[]): TrlMessage[] => messages.map(trlMessage);
