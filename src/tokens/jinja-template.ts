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
      let first = 0; // first message not yet placed
      conv.messages.forEach((_, turn) => {
        const last = turn === conv.messages.length - 1;
        let now: string;
        try {
          now = render(conv.messages.slice(0, turn + 1), conv.tools);
        } catch (err) {
          // Some templates refuse some prefixes (Llama 3.1 with tools wants a user message first):
          // merge this message into the next boundary instead. The full conversation must render.
          if (err instanceof TemplateTurnError && !last) return;
          throw err;
        }
        if (!now.startsWith(before)) throw new TemplateTurnError(`chat_template output for turn ${turn} does not extend the render of the turns before it; masks cannot be derived`);
        out.push(...splitChunk(now.slice(before.length), conv.messages, first, turn, eos));
        before = now;
        first = turn + 1;
      });
      return out;
    },
  };
}

/** How a template may have written a content: verbatim, trimmed (`| trim`), or JSON-encoded (`| tojson`). */
const candidates = (content: string) => [content, content.trim(), JSON.stringify(content)].filter((c, i, a) => c.length > 0 && a.indexOf(c) === i);

/**
 * Split the text that messages first..lastTurn added. Contents are found from the end backwards (last
 * occurrence before the next content), so a content equal to a role name is not mistaken for the header.
 * The end-of-turn token right after a content is `eos`; text after it is the next message's header, or
 * for the chunk's last message its separator.
 */
function splitChunk(chunk: string, messages: Message[], first: number, lastTurn: number, eos: string): TurnSegment[] {
  const groups: TurnSegment[][] = [];
  let end = chunk.length;
  for (let turn = lastTurn; turn >= first; turn--) {
    const m = messages[turn];
    let at = -1;
    let content = '';
    for (const c of candidates(m.content)) {
      at = end - c.length >= 0 ? chunk.lastIndexOf(c, end - c.length) : -1;
      if (at >= 0) {
        content = c;
        break;
      }
    }
    if (at < 0 && m.content.trim().length === 0) {
      // Empty content sits just before the end-of-turn token (or at the end of its span).
      const e = eos && end - eos.length >= 0 ? chunk.lastIndexOf(eos, end - eos.length) : -1;
      at = e >= 0 ? e : end;
    }
    if (at < 0) throw new TemplateTurnError(`turn ${turn} (${m.role}): the chat_template changed its content beyond trimming or JSON encoding; masks cannot be derived`);
    const rest = chunk.slice(at + content.length, end);
    const eosText = eos && rest.startsWith(eos) ? eos : '';
    const afterEos = rest.slice(eosText.length);
    // Between this eos and the next content: the next message's header.
    if (turn < lastTurn) groups[groups.length - 1].unshift({ kind: 'header', role: messages[turn + 1].role, turn: turn + 1, text: afterEos });
    groups.push([
      { kind: 'content', role: m.role, turn, text: content },
      { kind: 'eos', role: m.role, turn, text: eosText },
      { kind: 'separator', role: m.role, turn, text: turn === lastTurn ? afterEos : '' },
    ]);
    end = at;
  }
  // The first message's header is whatever precedes its content in the chunk.
  groups[groups.length - 1].unshift({ kind: 'header', role: messages[first].role, turn: first, text: chunk.slice(0, end) });
  return groups.reverse().flat();
}
