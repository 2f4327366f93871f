import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { messagesWithTools, renderSegments } from '../chatml/render.js';
import { UsageError } from '../types.js';
import type { TokenEncoder } from './encoder.js';
import { jinjaTemplate } from './jinja-template.js';
import type { TurnSegment } from './masks.js';

/** Turns a conversation into labelled text segments. */
export interface ChatTemplate {
  /**
   * Names the template(s) that count, as audit.json's `template`: `chatml` (chatmill's Hermes ChatML renderer),
   * `tokenizer` (the tokenizer's single chat_template), `tokenizer:NAME` (one of its named templates) or
   * `tokenizer:default+tool_use` (named templates chosen per record, as transformers chooses them).
   */
  name: string;
  /** The template that renders this record: `chatml`, `tokenizer` or `tokenizer:NAME`. */
  templateFor?(conv: { messages: Message[]; tools?: ToolSchema[] }): string;
  segments(conv: { messages: Message[]; tools?: ToolSchema[] }): TurnSegment[];
  /** How many turns the rendered list has before the conversation's own first message (an injected system turn). */
  injectedTurns(conv: { messages: Message[]; tools?: ToolSchema[] }): number;
}

export interface TemplateOptions {
  kind: 'chatml' | 'tokenizer';
  encoder: TokenEncoder;
  /** `date_string` for templates that print today's date (Llama 3.1); fixed so counts are reproducible. */
  date?: string;
  /**
   * `--chat-template-name`: with `kind: 'tokenizer'` and a tokenizer_config whose `chat_template` is a list
   * of `{name, template}`, render every record with this one. Unset: `tool_use` for records with tools
   * (when the tokenizer has it), `default` for the others, as transformers does.
   */
  chatTemplateName?: string;
}

export { configToken } from './config-token.js';
import { configToken } from './config-token.js';

/**
 * Hermes ChatML, as the foundation renders it, preceded by the tokenizer's BOS token when it has one:
 * Llama 3's post-processor adds `<|begin_of_text|>` and Hermes 3's template starts with it, so the trainer
 * sees it. BOS is a `prefix` segment (instruction).
 */
function chatmlTemplate(encoder: TokenEncoder): ChatTemplate {
  const bos = configToken(encoder.config, 'bos_token');
  const prefix: TurnSegment[] = bos && encoder.tokenId(bos) !== undefined ? [{ kind: 'prefix', turn: -1, text: bos }] : [];
  return {
    name: 'chatml',
    templateFor: () => 'chatml',
    segments: (conv) => [...prefix, ...renderSegments(conv.messages, conv.tools)],
    injectedTurns: (conv) => messagesWithTools(conv.messages, conv.tools).length - conv.messages.length,
  };
}

export function makeTemplate(opts: TemplateOptions): ChatTemplate {
  if (opts.kind === 'chatml') {
    if (opts.chatTemplateName !== undefined) throw new UsageError('--chat-template-name needs --template tokenizer');
    return chatmlTemplate(opts.encoder);
  }
  if (opts.kind === 'tokenizer') return jinjaTemplate({ encoder: opts.encoder, date: opts.date, chatTemplateName: opts.chatTemplateName });
  throw new UsageError(`--template must be chatml or tokenizer, not ${JSON.stringify(opts.kind)}`);
}
