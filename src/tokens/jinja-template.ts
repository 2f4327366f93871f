import { createRequire } from 'node:module';
import type { Template } from '@huggingface/jinja';
import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { trlMessages, type TrlMessage } from '../chatml/trl.js';
import { UsageError } from '../types.js';
import type { TokenEncoder } from './encoder.js';
import type { TurnSegment } from './masks.js';
import type { ChatTemplate } from './template.js';
import { configToken } from './template.js';

/**
 * @huggingface/jinja, loaded on first use: only `--template tokenizer` renders Jinja, and importing it is a
 * noticeable part of a small audit's start-up. Its CommonJS build loads synchronously, so templates stay sync.
 */
function jinja(): { Template: typeof Template } {
  return createRequire(import.meta.url)('@huggingface/jinja') as { Template: typeof Template };
}

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
export function jinjaTemplate(opts: { encoder: TokenEncoder; date?: string; chatTemplateName?: string }): ChatTemplate {
  const named = chatTemplates(opts.encoder);
  const forced = opts.chatTemplateName;
  if (forced !== undefined && !named.has(forced)) {
    const have = [...named.keys()].filter((k) => k !== UNNAMED);
    throw new UsageError(
      have.length
        ? `--chat-template-name ${JSON.stringify(forced)}: the tokenizer ${opts.encoder.name} has the chat templates ${have.map((n) => JSON.stringify(n)).join(', ')}`
        : `--chat-template-name ${JSON.stringify(forced)}: the tokenizer ${opts.encoder.name} has a single, unnamed chat_template`,
    );
  }
  // Parse every template up front, so a construct @huggingface/jinja cannot parse stops the run at once.
  const parsed = new Map<string, Template>();
  for (const [name, text] of named) {
    try {
      parsed.set(name, new (jinja().Template)(text));
    } catch (err) {
      const which = name === UNNAMED ? '' : ` (${JSON.stringify(name)})`;
      throw new UsageError(`cannot parse the chat_template${which} of ${opts.encoder.name}: ${explainJinjaError(err)}`);
    }
  }
  // As transformers chooses (PreTrainedTokenizerBase.get_chat_template): a forced name; else `tool_use`
  // when tools are given and the tokenizer has one; else `default`. A single unnamed template is used as is.
  const choose = (tools?: ToolSchema[]): string => {
    if (forced !== undefined) return forced;
    if (named.has(UNNAMED)) return UNNAMED;
    if (tools?.length && named.has('tool_use')) return 'tool_use';
    if (named.has('default')) return 'default';
    throw new UsageError(
      `the tokenizer ${opts.encoder.name} has several chat templates and no \`default\`; choose one with --chat-template-name (${[...named.keys()].join(', ')})`,
    );
  };
  const vars = {
    bos_token: configToken(opts.encoder.config, 'bos_token') ?? '',
    eos_token: configToken(opts.encoder.config, 'eos_token') ?? '',
    add_generation_prompt: false,
    date_string: opts.date ?? DEFAULT_TEMPLATE_DATE,
  };
  const eos = vars.eos_token;
  /** assistantHeader's answers, per template name and whether tools are given. */
  const headers = new Map<string, string | undefined>();
  // Templates get the turns as TRL gives them from the exported dataset: structured `tool_calls` (arguments a
  // JSON string) and tool turns with their raw output, so each template writes its own tool-call layout.
  const render = (messages: TrlMessage[], tools?: ToolSchema[]): string => {
    const tpl = parsed.get(choose(tools))!;
    try {
      // transformers passes `tools=None` when there are none (so `tools is defined` holds and `tools is none` too).
      return tpl.render({ ...vars, messages, tools: tools?.length ? tools : null });
    } catch (err) {
      const why = explainJinjaError(err);
      // An unsupported construct is the template's fault, not the record's: stop the run with a clear message.
      if (/not supported|Unknown|not a function/.test(why)) throw new UsageError(`cannot render the chat_template of ${opts.encoder.name}: ${why}`);
      throw new TemplateTurnError(`chat_template failed: ${why}`);
    }
  };

  return {
    name: templateLabel(named, forced),
    templateFor: (conv) => {
      const n = choose(conv.tools);
      return n === UNNAMED ? 'tokenizer' : `tokenizer:${n}`;
    },
    injectedTurns: () => 0,
    segments(conv) {
      const n = conv.messages.length;
      const turns = trlMessages(conv.messages);
      const header = conv.messages.some((m) => m.tool_calls) ? assistantHeader(choose(conv.tools), conv.tools) : undefined;
      // The whole conversation must render; its text is what the trainer tokenizes.
      const full = render(turns, conv.tools);
      const out: TurnSegment[] = [];
      let before = '';
      let first = 0; // first message not yet placed
      for (let turn = 0; turn < n - 1; turn++) {
        let now: string;
        try {
          now = render(turns.slice(0, turn + 1), conv.tools);
        } catch (err) {
          // Some templates refuse some prefixes (Llama 3.1 with tools wants a user message first):
          // merge this message into the next boundary instead.
          if (err instanceof TemplateTurnError) continue;
          throw err;
        }
        // A prefix render is a turn boundary only where the full render starts with it. Some templates close
        // a turn differently when it is the last one (Hermes 3's tool_use template ends a last tool turn with
        // `</tool_response><|im_end|>`, an inner one with `</tool_response>\n<|im_end|>`): such a message is
        // merged into the next boundary too.
        if (now.length < before.length || !full.startsWith(now)) continue;
        out.push(...splitChunk(now.slice(before.length), conv.messages, first, turn, eos, header));
        before = now;
        first = turn + 1;
      }
      if (!full.startsWith(before)) throw new TemplateTurnError('chat_template output does not extend the render of the turns before it; masks cannot be derived');
      if (n > 0) out.push(...splitChunk(full.slice(before.length), conv.messages, first, n - 1, eos, header));
      return out;
    },
  };

  /**
   * The text a template writes before an assistant's content (`<|im_start|>assistant\n`,
   * `<|start_header_id|>assistant<|end_header_id|>\n\n`), found by rendering a user turn and an assistant turn
   * and diffing. A turn's tool calls are what comes after that header and before its end-of-turn token, however
   * the template lays them out. Undefined when the probe does not render.
   */
  function assistantHeader(name: string, tools?: ToolSchema[]): string | undefined {
    const key = `${name}\u0000${tools?.length ? 1 : 0}`;
    if (headers.has(key)) return headers.get(key);
    let found: string | undefined;
    try {
      const user: TrlMessage = { role: 'user', content: 'u' };
      const probe = '\u0001probe\u0001';
      const one = render([user], tools);
      const two = render([user, { role: 'assistant', content: probe }], tools);
      const at = two.indexOf(probe, one.length);
      if (two.startsWith(one) && at >= 0) found = two.slice(one.length, at);
    } catch (err) {
      if (!(err instanceof TemplateTurnError)) throw err;
    }
    headers.set(key, found);
    return found;
  }
}

/** Key of a tokenizer_config `chat_template` that is one plain string. */
const UNNAMED = '';

/**
 * The tokenizer_config's chat templates by name: a plain string is one unnamed template; a list of
 * `{name, template}` (Hermes 3, Command R: `default`, `tool_use`, `rag`) gives each its name, as
 * transformers reads it. Throws UsageError when there is none.
 */
export function chatTemplates(encoder: TokenEncoder): Map<string, string> {
  const source = encoder.config.chat_template;
  const out = new Map<string, string>();
  if (typeof source === 'string') out.set(UNNAMED, source);
  else if (Array.isArray(source)) {
    for (const t of source) {
      if (t && typeof t === 'object' && typeof t.name === 'string' && typeof t.template === 'string') out.set(t.name, t.template);
    }
  }
  if (out.size === 0) throw new UsageError(`tokenizer ${encoder.name} has no chat_template in tokenizer_config.json; use --template chatml`);
  return out;
}

/**
 * What the audit reports as its `template`: `tokenizer` for a single unnamed chat_template;
 * `tokenizer:NAME` when one named template counts every record (forced, or the only one);
 * `tokenizer:default+tool_use` when records with tools go through `tool_use` and the others through `default`.
 */
function templateLabel(named: Map<string, string>, forced?: string): string {
  if (forced !== undefined) return `tokenizer:${forced}`;
  if (named.has(UNNAMED)) return 'tokenizer';
  const parts = [named.has('default') ? 'default' : undefined, named.has('tool_use') ? 'tool_use' : undefined].filter(Boolean);
  return parts.length ? `tokenizer:${parts.join('+')}` : `tokenizer:${[...named.keys()].join('+')}`;
}

/**
 * Where an assistant turn with tool calls has its text: from the end of its header (the last one before `end`)
 * to its end-of-turn token, so the calls are trained as the template wrote them. [start, text], or undefined.
 */
function callsSpan(chunk: string, end: number, header: string, eos: string): [number, string] | undefined {
  const h = header.length && end - header.length >= 0 ? chunk.lastIndexOf(header, end - header.length) : -1;
  if (h < 0) return undefined;
  const start = h + header.length;
  const stop = eos ? chunk.indexOf(eos, start) : end;
  if (stop < 0 || stop > end) return undefined;
  return [start, chunk.slice(start, stop)];
}

/** How a template may have written a content: verbatim, trimmed (`| trim`), or JSON-encoded (`| tojson`). */
const candidates = (content: string) => [content, content.trim(), JSON.stringify(content)].filter((c, i, a) => c.length > 0 && a.indexOf(c) === i);

/**
 * Split the text that messages first..lastTurn added. Contents are found from the end backwards (last
 * occurrence before the next content), so a content equal to a role name is not mistaken for the header.
 * The end-of-turn token right after a content is `eos`; text after it is the next message's header, or
 * for the chunk's last message its separator.
 */
function splitChunk(chunk: string, messages: Message[], first: number, lastTurn: number, eos: string, header?: string): TurnSegment[] {
  const groups: TurnSegment[][] = [];
  let end = chunk.length;
  for (let turn = lastTurn; turn >= first; turn--) {
    const m = messages[turn];
    let at = -1;
    let content = '';
    const calls = m.tool_calls && header ? callsSpan(chunk, end, header, eos) : undefined;
    if (calls) [at, content] = calls;
    for (const c of calls ? [] : candidates(m.content)) {
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
