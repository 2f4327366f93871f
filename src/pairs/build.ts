import type { Message, ToolSchema } from '../../schemas/chatml.js';
import type { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import { renderChatML, IM_START } from '../chatml/render.js';
import { checkPair, checkResponse } from './checks.js';
import { rngFor } from './prng.js';
import { selectPairs, type NoPair } from './strategy.js';
import { configToken } from '../tokens/config-token.js';
import type { Candidate, Labelled, PairOptions, Shape } from './types.js';

/** Anything with an `encode` (the tokens module's TokenEncoder): enables the n_*_tokens fields. */
export interface TokenCounter {
  encode(text: string): number[];
  /** The tokenizer_config (TokenEncoder has it). Its `bos_token`, when the vocabulary holds it, starts every render. */
  config?: Record<string, unknown>;
  tokenId?(token: string): number | undefined;
}

/**
 * The text the trainer's template puts before the first turn: the tokenizer's BOS token, when it has one
 * (Hermes 3's templates start with `{{bos_token}}`; Llama 3's post-processor adds it). TRL's `prompt_ids`
 * include it, so the prompt count does too. Same rule as the `chatml` template of src/tokens/template.ts.
 */
function bosPrefix(tokens: TokenCounter): string {
  if (!tokens.config) return '';
  const bos = configToken(tokens.config, 'bos_token');
  return bos && tokens.tokenId?.(bos) !== undefined ? bos : '';
}

export interface BuildParams {
  source: string;
  index: number;
  options: PairOptions;
  tokens?: TokenCounter;
}

export type Built = { ok: true; records: Array<PreferencePair | UnpairedPreference> } | ({ ok: false } & NoPair);

const stem = (source: string) => source.split(/[\\/]/).pop() ?? source;
const GEN_PROMPT = `${IM_START}assistant\n`;

/**
 * Token counts exactly as TRL's DPOTrainer and KTOTrainer build them: `prompt_ids` is the whole render of
 * the prompt with the generation prompt, BOS included; a side's ids are the render of prompt + side with
 * the prompt's token count cut off the front (`prompt_chosen_ids[len(prompt_ids):]`).
 */
function countTokens(tokens: TokenCounter, prompt: Message[], sides: Message[][], tools?: ToolSchema[]) {
  const bos = bosPrefix(tokens);
  const n = tokens.encode(bos + renderChatML(prompt, tools) + GEN_PROMPT).length;
  return {
    prompt: n,
    sides: sides.map((side) => tokens.encode(bos + renderChatML([...prompt, ...side], tools)).length - n),
  };
}

function toPair(shape: Shape & { prompt: Message[] }, c: Candidate, r: Candidate, id: string, p: BuildParams): PreferencePair {
  const margin = c.score !== null && r.score !== null ? c.score - r.score : null;
  const pair: PreferencePair = {
    id,
    source: p.source,
    index: p.index,
    format: shape.format,
    prompt: shape.prompt,
    chosen: c.messages,
    rejected: r.messages,
    ...(shape.tools?.length ? { tools: shape.tools } : {}),
    score_chosen: c.score,
    score_rejected: r.score,
    margin,
  };
  if (p.tokens) {
    const n = countTokens(p.tokens, shape.prompt, [c.messages, r.messages], shape.tools);
    Object.assign(pair, { n_prompt_tokens: n.prompt, n_chosen_tokens: n.sides[0], n_rejected_tokens: n.sides[1] });
  }
  return pair;
}

const fail = (outcome: 'reject' | 'drop', reason: string, message: string, path = ''): Built => ({ ok: false, outcome, reason, message, path });

/** Turn one recognized record into its pairs (or unpaired record), or say why there are none. */
export function buildRecords(shape: Shape, p: BuildParams): Built {
  const baseId = `${stem(p.source)}:${p.index}`;
  if (shape.kind === 'labelled') return buildUnpaired(shape, baseId, p);
  if (shape.kind === 'fixed') {
    const bad = checkPair(shape.prompt, shape.chosen.messages, shape.rejected.messages);
    if (bad) return fail('reject', bad.reason, bad.message, bad.path);
    const { score: sc } = shape.chosen;
    const { score: sr } = shape.rejected;
    if (sc !== null && sr !== null) {
      if (sc === sr) return fail('drop', 'tie', `chosen and rejected both score ${sc}`);
      if (sc - sr < p.options.minMargin) return fail('drop', 'low_margin', `margin ${sc - sr} is below ${p.options.minMargin}`);
    }
    return { ok: true, records: [toPair(shape, shape.chosen, shape.rejected, baseId, p)] };
  }
  const sel = selectPairs(shape.candidates, {
    strategy: p.options.strategy,
    minMargin: p.options.minMargin,
    rng: rngFor(p.options.seed, baseId),
  });
  if ('outcome' in sel) return { ok: false, ...sel };
  const records: PreferencePair[] = [];
  let firstBad: Built | undefined;
  for (const [i, j] of sel.pairs) {
    const c = shape.candidates[i];
    const r = shape.candidates[j];
    const bad = checkPair(shape.prompt, c.messages, r.messages);
    if (bad) {
      firstBad ??= fail('reject', bad.reason, `${c.path} vs ${r.path}: ${bad.message}`, bad.path === 'chosen' ? c.path : r.path);
      continue;
    }
    records.push(toPair(shape, c, r, sel.pairs.length > 1 ? `${baseId}:${i}-${j}` : baseId, p));
  }
  return records.length ? { ok: true, records } : firstBad!;
}

function buildUnpaired(shape: Labelled, id: string, p: BuildParams): Built {
  if (shape.prompt.length === 0) return fail('reject', 'missing_prompt', 'the record has no prompt messages', 'prompt');
  const bad = checkResponse('completion', shape.completion);
  if (bad) return fail('reject', bad.reason, bad.message, bad.path);
  const rec: UnpairedPreference = {
    id,
    source: p.source,
    index: p.index,
    format: shape.format,
    prompt: shape.prompt,
    completion: shape.completion,
    label: shape.label,
    ...(shape.tools?.length ? { tools: shape.tools } : {}),
  };
  if (p.tokens) {
    const n = countTokens(p.tokens, shape.prompt, [shape.completion], shape.tools);
    Object.assign(rec, { n_prompt_tokens: n.prompt, n_completion_tokens: n.sides[0] });
  }
  return { ok: true, records: [rec] };
}
