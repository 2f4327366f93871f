import { IM_END, IM_START } from '../chatml/render.js';

/**
 * Hermes 3 (Llama 3.1 base) did not grow the vocabulary for ChatML: it renamed two of Llama 3.1's
 * reserved special tokens. We name the slots, not the ids, so no id is hard-coded; the ids are read
 * back from the tokenizer. Source: the published NousResearch/Hermes-3-Llama-3.1-8B config, whose
 * eos_token_id is 128040 (`<|im_end|>`), with `<|im_start|>` in the slot just before it. See docs/tokens.md.
 */
export const HERMES3_SLOTS: ReadonlyArray<{ reserved: string; content: string }> = [
  { reserved: '<|reserved_special_token_31|>', content: IM_START },
  { reserved: '<|reserved_special_token_32|>', content: IM_END },
];

/** The ChatML chat template Hermes 3 ships (BOS, then `<|im_start|>{role}\n{content}<|im_end|>\n` per turn). */
export const CHATML_JINJA =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface AddedTokenJson {
  id: number;
  content: string;
  [k: string]: unknown;
}

/** Return copies of tokenizer.json and tokenizer_config.json with the ChatML tokens in Hermes 3's slots. */
export function withChatMLTokens(
  json: Record<string, unknown>,
  config: Record<string, unknown>,
): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const added = (json.added_tokens as AddedTokenJson[] | undefined) ?? [];
  const rename = new Map(HERMES3_SLOTS.map((s) => [s.reserved, s.content]));
  const found = new Set<string>();
  const newAdded = added.map((t) => {
    const to = rename.get(t.content);
    if (!to) return t;
    found.add(t.content);
    return { ...t, content: to };
  });
  for (const slot of HERMES3_SLOTS) {
    if (!found.has(slot.reserved)) throw new Error(`hermes3 preset: base tokenizer has no ${slot.reserved} to rename`);
  }
  return { json: { ...json, added_tokens: newAdded }, config: withChatMLConfig(config) };
}

/** tokenizer_config.json with the ChatML tokens in Hermes 3's slots, eos `<|im_end|>` and the ChatML template. */
export function withChatMLConfig(config: Record<string, unknown>): Record<string, unknown> {
  const rename = new Map(HERMES3_SLOTS.map((s) => [s.reserved, s.content]));
  const decoder = (config.added_tokens_decoder as Record<string, { content: string }> | undefined) ?? {};
  const newDecoder: Record<string, unknown> = {};
  for (const [id, entry] of Object.entries(decoder)) {
    const to = rename.get(entry.content);
    newDecoder[id] = to ? { ...entry, content: to } : entry;
  }
  return { ...config, added_tokens_decoder: newDecoder, eos_token: IM_END, chat_template: CHATML_JINJA };
}
