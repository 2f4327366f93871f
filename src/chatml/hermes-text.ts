import type { Message, ToolCall } from '../../schemas/chatml.js';
import { pyJson } from '../formats/py-json.js';

/**
 * The Hermes text form of structured tool calls and tool results: what a Hermes-trained model reads and
 * writes, and what chatmill's ChatML rendering, token counts and the `hermes-text` export are made of.
 */

/** `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`, one block per call. */
export const renderToolCall = (c: { name: string; arguments: Record<string, unknown> }): string =>
  `<tool_call>\n${pyJson({ name: c.name, arguments: c.arguments })}\n</tool_call>`;

/** `<tool_response>\n{"name": ..., "content": ...}\n</tool_response>`. */
export const renderToolResponse = (name: string, content: unknown): string =>
  `<tool_response>\n${pyJson({ name, content })}\n</tool_response>`;

/** A tool's output as it goes into a response: parsed when it is a JSON object or list, else the text itself. */
export function parseToolOutput(text: string): { value: unknown; parsed: boolean } {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { value: JSON.parse(t), parsed: true };
    } catch {
      return { value: text, parsed: false };
    }
  }
  return { value: text, parsed: false };
}

/** Assistant text followed by its calls, one per line: the layout of an OpenAI turn rendered Hermes-style. */
export function assistantText(content: string, calls: readonly ToolCall[]): string {
  let out = content;
  for (const c of calls) {
    const block = renderToolCall(c.function);
    out = out.length ? `${out}\n${block}` : block;
  }
  return out;
}

/** True when a message carries structured tool data that its Hermes text form must render. */
export const hasToolData = (m: Message): boolean => m.tool_calls !== undefined || (m.role === 'tool' && m.name !== undefined);

/** The turn's text as the model sees it in Hermes ChatML. */
export function turnText(m: Message): string {
  if (m.tool_calls) return assistantText(m.content, m.tool_calls);
  if (m.role === 'tool' && m.name !== undefined) return renderToolResponse(m.name, parseToolOutput(m.content).value);
  return m.content;
}

/**
 * The messages with tool calls and results written into `content` as Hermes text and the structured fields
 * dropped: the form chatmill stored before tool calls were data. The same array comes back when no message
 * has tool data, so the common path allocates nothing.
 */
export function hermesMessages(messages: readonly Message[]): Message[] {
  if (!messages.some(hasToolData)) return messages as Message[];
  return messages.map((m) => (hasToolData(m) ? { role: m.role, content: turnText(m) } : m));
}
