import { Template } from '@huggingface/jinja';
import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { UsageError } from '../types.js';
import type { TokenEncoder } from './encoder.js';
import type { TurnSegment } from './masks.js';
import type { ChatTemplate } from './template.js';
import { configToken } from './template.js';

/** Llama 3.1's own fallback date; used unless the caller fixes another. */
export const DEFAULT_TEMPLATE_DATE = '26 Jul 2024';

/** A record the template cannot be split into turns for; the stage rejects the record with this. */
export class TemplateTurnError extends Error {
  override name = 'TemplateTurnError';
}

/** Name the construct @huggingface/jinja choked on, e.g. the `reject` filter. */
function explainJinjaError(err: unknown): string {
  const msg = String((err as Error)?.message ?? err);
  const filter = /Unknown \w+ filter: (\w+)/.exec(msg);
  if (filter) return `the filter \`${filter[1]}\` is not supported by @huggingface/jinja (${msg})`;
  return msg;
}

/**
 * The tokenizer's own `chat_template`, rendered with @huggingface/jinja. Turn boundaries come from
 * rendering growing prefixes messages[:1], messages[:2], ... and diffing: turn i's text is what the
 * (i+1)-message render adds to the i-message render. Inside that chunk the message content is found
 * (verbatim, else trimmed, last occurrence); text before it is the header, the tokenizer's eos_token
 * right after it is `eos`, and the rest is `separator`.
 */
export function jinjaTemplate(opts: { encoder: TokenEncoder; date?: string }): ChatTemplate {
  const source = opts.encoder.config.chat_template;
  const text = typeof source === 'string' ? source : Array.isArray(source) ? (source.find((t) => t?.name === 'default')?.template as unknown) : undefined;
  if (typeof text !== 'string') throw new UsageError(`tokenizer ${opts.encoder.name} has no chat_template in tokenizer_config.json; use --template chatml`);
  let tpl: Template;
  try {
    tpl = new Template(text);
  } catch (err) {
    throw new UsageError(`cannot parse the chat_template of ${opts.encoder.name}: ${explainJinjaError(err)}`);
  }
  const vars = {
    bos_token: configToken(opts.encoder.config, 'bos_token') ?? '',
    eos_token: configToken(opts.encoder.config, 'eos_token') ?? '',
    add_generation_prompt: false,
    date_string: opts.date ?? DEFAULT_TEMPLATE_DATE,
  };
  const eos = vars.eos_token;
  const render = (messages: Message[], tools?: ToolSchema[]): string => {
    try {
      return tpl.render({ ...vars, messages, ...(tools?.length ? { tools } : {}) });
    } catch (err) {
      const why = explainJinjaError(err);
      // An unsupported construct is the template's fault, not the record's: stop the run with a clear message.
      if (/not supported|Unknown|not a function/.test(why)) throw new UsageError(`cannot render the chat_template of ${opts.encoder.name}: ${why}`);
      throw new TemplateTurnError(`chat_template failed: ${why}`);
    }
  };

  return {
    name: 'tokenizer',
    injectedTurns: () => 0,
    segments(conv) {
      const out: TurnSegment[] = [];
      let before = '';
      conv.messages.forEach((m, turn) => {
        const now = render(conv.messages.slice(0, turn + 1), conv.tools);
        if (!now.startsWith(before)) throw new TemplateTurnError(`chat_template output for turn ${turn} does not extend the render of the turns before it; masks cannot be derived`);
        out.push(...splitTurn(now.slice(before.length), m, turn, eos));
        before = now;
      });
      return out;
    },
  };
}

function splitTurn(chunk: string, m: Message, turn: number, eos: string): TurnSegment[] {
  const role = m.role;
  let content = m.content;
  let at = content.length ? chunk.lastIndexOf(content) : -1;
  if (at < 0 && content.trim().length) {
    content = content.trim();
    at = chunk.lastIndexOf(content);
  }
  if (at < 0 && m.content.trim().length === 0) {
    // Empty content: it sits just before the end-of-turn token (or at the end of the chunk).
    const e = eos ? chunk.lastIndexOf(eos) : -1;
    at = e >= 0 ? e : chunk.length;
    content = '';
  }
  if (at < 0) throw new TemplateTurnError(`turn ${turn} (${role}): the chat_template changed its content beyond trimming; masks cannot be derived`);
  const rest = chunk.slice(at + content.length);
  const eosText = eos && rest.startsWith(eos) ? eos : '';
  return [
    { kind: 'header', role, turn, text: chunk.slice(0, at) },
    { kind: 'content', role, turn, text: content },
    { kind: 'eos', role, turn, text: eosText },
    { kind: 'separator', role, turn, text: rest.slice(eosText.length) },
  ];
}
