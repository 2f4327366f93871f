import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { turnText } from './hermes-text.js';
import { hasToolsBlock, toolsSystemBlock } from './tools-prompt.js';

export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';

/**
 * One piece of rendered text and what it is. Masks are computed from these pieces:
 * `header` is `<|im_start|>{role}\n`, `content` the turn's text, `eos` the closing `<|im_end|>`,
 * `separator` the `\n` after it.
 */
export interface Segment {
  kind: 'header' | 'content' | 'eos' | 'separator';
  role: Message['role'];
  /** Index of the turn in the rendered message list. */
  turn: number;
  text: string;
}

/**
 * The messages as the model sees them: when tools are given and the system prompt does not already
 * carry a <tools> block, the tools block is put into the system turn (a system turn is created first
 * if there is none), as the Hermes function-calling format does.
 */
export function messagesWithTools(messages: Message[], tools?: ToolSchema[]): Message[] {
  if (!tools || tools.length === 0) return messages;
  const block = toolsSystemBlock(tools);
  const first = messages[0];
  if (first?.role === 'system') {
    if (hasToolsBlock(first.content)) return messages;
    const content = first.content.length ? `${first.content}\n\n${block}` : block;
    return [{ role: 'system', content }, ...messages.slice(1)];
  }
  return [{ role: 'system', content: block }, ...messages];
}

/**
 * Render to Hermes ChatML segments: `<|im_start|>{role}\n{content}<|im_end|>\n` per turn, where a turn's
 * structured tool calls and tool results are written as Hermes `<tool_call>` / `<tool_response>` text.
 */
export function renderSegments(messages: Message[], tools?: ToolSchema[]): Segment[] {
  const out: Segment[] = [];
  messagesWithTools(messages, tools).forEach((m, turn) => {
    out.push({ kind: 'header', role: m.role, turn, text: `${IM_START}${m.role}\n` });
    out.push({ kind: 'content', role: m.role, turn, text: turnText(m) });
    out.push({ kind: 'eos', role: m.role, turn, text: IM_END });
    out.push({ kind: 'separator', role: m.role, turn, text: '\n' });
  });
  return out;
}

/** The full ChatML text a trainer would tokenize. */
export function renderChatML(messages: Message[], tools?: ToolSchema[]): string {
  return renderSegments(messages, tools)
    .map((s) => s.text)
    .join('');
}
