import type { ToolSchema } from '../../schemas/chatml.js';

/**
 * The system-turn block that tells a Hermes-style model which functions exist. The structure follows
 * the Hermes function-calling convention (signatures inside <tools></tools>, calls inside
 * <tool_call></tool_call>, results inside <tool_response></tool_response>); the wording is ours.
 */
export function toolsSystemBlock(tools: ToolSchema[]): string {
  const signatures = tools.map((t) => JSON.stringify(t)).join('\n');
  return [
    'You are a function-calling assistant. The functions you may call are described as JSON signatures inside <tools></tools> XML tags.',
    'Call a function only when it helps with the request, and never invent argument values.',
    `<tools>\n${signatures}\n</tools>`,
    'To call a function, answer with a JSON object holding "name" and "arguments" inside <tool_call></tool_call> tags:',
    '<tool_call>\n{"name": <function-name>, "arguments": <args-object>}\n</tool_call>',
    'Function results come back to you inside <tool_response></tool_response> tags.',
  ].join('\n');
}

/** True when a system prompt already lists its tools Hermes-style, so none must be added. */
export const hasToolsBlock = (system: string): boolean => system.includes('<tools>');
