import type { Conversation } from '../../schemas/chatml.js';

/** A normalized record with the fields the checks read; `extra` adds tools, meta, category. */
export const conv = (messages: { role: string; content: string; [k: string]: unknown }[], extra: Partial<Conversation> = {}): Conversation =>
  ({ id: 'x', source: 'test', index: 0, format: 'openai', messages, ...extra }) as Conversation;

export const call = (name: string, args: unknown) => `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
export const response = (name: string, content: unknown) => `<tool_response>\n${JSON.stringify({ name, content })}\n</tool_response>`;
