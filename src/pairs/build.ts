import type { Message, ToolSchema } from '../../schemas/chatml.js';
import type { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import { renderChatML, IM_START } from '../chatml/render.js';
import { checkPair, checkResponse } from './checks.js';
import { rngFor } from './prng.js';
import { selectPairs, type NoPair } from './strategy.js';
import type { Candidate, Labelled, PairOptions, Shape } from './types.js';

/** Anything with an `encode` (the tokens module's TokenEncoder): enables the n_*_tokens fields. */
export interface TokenCounter {
  encode(text: string): number[];
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
 * Token counts the way TRL's apply_chat_template splits a pair: the prompt rendered with the
 * generation prompt, and each side as what rendering prompt + side adds after that.
 */
function countTokens(tokens: TokenCounter, prompt: Message[], sides: Message[][], tools?: ToolSchema[]) {
  const p = renderChatML(prompt, tools) + GEN_PROMPT;
  return {
    prompt: tokens.encode(p).length,
    sides: sides.map((side) => {
      const full = renderChatML([...prompt, ...side], tools);
      return tokens.encode(full.startsWith(p) ? full.slice(p.length) : full.slice(p.length - GEN_PROMPT.length)).length;
    }),
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
