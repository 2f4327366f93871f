import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { messagesWithTools, renderSegments } from '../chatml/render.js';
import { UsageError } from '../types.js';
import type { TokenEncoder } from './encoder.js';
import { jinjaTemplate } from './jinja-template.js';
import type { TurnSegment } from './masks.js';

/** Turns a conversation into labelled text segments. */
export interface ChatTemplate {
  /** `chatml` or `tokenizer` (reported in audit.json). */
  name: string;
  segments(conv: { messages: Message[]; tools?: ToolSchema[] }): TurnSegment[];
  /** How many turns the rendered list has before the conversation's own first message (an injected system turn). */
  injectedTurns(conv: { messages: Message[]; tools?: ToolSchema[] }): number;
}

export interface TemplateOptions {
  kind: 'chatml' | 'tokenizer';
  encoder: TokenEncoder;
  /** `date_string` for templates that print today's date (Llama 3.1); fixed so counts are reproducible. */
  date?: string;
}

/** The special-token string a tokenizer_config names (plain string or {content}). */
export function configToken(config: Record<string, unknown>, key: string): string | undefined {
  const v = config[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

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
    segments: (conv) => [...prefix, ...renderSegments(conv.messages, conv.tools)],
    injectedTurns: (conv) => messagesWithTools(conv.messages, conv.tools).length - conv.messages.length,
  };
}

export function makeTemplate(opts: TemplateOptions): ChatTemplate {
  if (opts.kind === 'chatml') return chatmlTemplate(opts.encoder);
  if (opts.kind === 'tokenizer') return jinjaTemplate({ encoder: opts.encoder, date: opts.date });
  throw new UsageError(`--template must be chatml or tokenizer, not ${JSON.stringify(opts.kind)}`);
}
