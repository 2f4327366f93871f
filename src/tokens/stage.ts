import type { Conversation } from '../../schemas/chatml.js';
import { mapStage } from '../stage.js';
import type { Keep, Outcome, Stage } from '../types.js';
import { drop, keep, reject } from '../types.js';
import { countTokens, type CountedTokens } from './count.js';
import type { TokenEncoder } from './encoder.js';
import { TemplateTurnError } from './jinja-template.js';
import type { MaskPolicy } from './masks.js';
import type { ChatTemplate } from './template.js';

export type OverLengthPolicy = 'keep' | 'drop' | 'truncate';

export interface TokenizeStageOptions extends Partial<MaskPolicy> {
  tokenizer: TokenEncoder;
  template: ChatTemplate;
  /** Hermes 3 trained at 8192. */
  maxLength?: number;
  overLength?: OverLengthPolicy;
  /** Told about every record longer than maxLength, whatever the policy does with it (the audit counts them). */
  onOverLength?: (conv: Conversation) => void;
}

type Counted = Pick<Conversation, 'n_tokens' | 'n_instruction_tokens' | 'n_response_tokens'>;
const countsOf = (m: CountedTokens): Counted => ({ n_tokens: m.total, n_instruction_tokens: m.instruction, n_response_tokens: m.response });

/**
 * Count a record: n_tokens, n_instruction_tokens and n_response_tokens of its rendered text.
 * Throws TemplateTurnError when the template cannot be split into turns for this record.
 */
export function countConversation(opts: { tokenizer: TokenEncoder; template: ChatTemplate; policy: MaskPolicy }, conv: Conversation): CountedTokens {
  return countTokens(opts.tokenizer, opts.template.segments(conv), opts.policy);
}

/**
 * Cut a too-long record at a turn boundary: keep the longest prefix of whole messages that fits and still
 * ends with a trained turn. Undefined when no such prefix exists. The prefix is re-tokenized, so its counts
 * are exact (a token straddling the cut could otherwise be off by one).
 */
export function truncateAtTurn(
  opts: { tokenizer: TokenEncoder; template: ChatTemplate; policy: MaskPolicy; maxLength: number },
  conv: Conversation,
  full: CountedTokens,
): { conv: Conversation; masked: CountedTokens } | undefined {
  const injected = opts.template.injectedTurns(conv);
  for (let k = conv.messages.length - 1; k >= 1; k--) {
    const last = conv.messages[k - 1];
    if (!opts.policy.rolesToTrain.includes(last.role)) continue;
    // Cheap pre-check from the full tokenization; exact check below.
    if ((full.tokensThroughTurn[k - 1 + injected] ?? Infinity) > opts.maxLength + 1) continue;
    const cut: Conversation = { ...conv, messages: conv.messages.slice(0, k) };
    const masked = countConversation(opts, cut);
    if (masked.total <= opts.maxLength && masked.response > 0) return { conv: cut, masked };
  }
  return undefined;
}

/**
 * What tokenizing decided for one record, as plain data: computed in this thread or in a worker
 * (src/parallel/), and turned into an Outcome by `applyDecision` on the main thread.
 */
export type TokenizeDecision =
  | { kind: 'keep'; counts: Counted; over: boolean }
  | { kind: 'cut'; counts: Counted; keepMessages: number }
  | { kind: 'drop'; message: string }
  | { kind: 'reject'; message: string };

export interface DecideOptions {
  tokenizer: TokenEncoder;
  template: ChatTemplate;
  policy: MaskPolicy;
  maxLength: number;
  overLength: OverLengthPolicy;
}

export function resolvePolicy(opts: Partial<MaskPolicy>): MaskPolicy {
  return { trainOnEos: opts.trainOnEos ?? 'turn', rolesToTrain: opts.rolesToTrain ?? ['assistant'], lastTurnOnly: opts.lastTurnOnly ?? false };
}

/** Count one record and apply the over-length policy. Only `messages` and `tools` of the record are read. */
export function decideTokenize(ctx: DecideOptions, conv: Conversation): TokenizeDecision {
  let masked: CountedTokens;
  try {
    masked = countConversation(ctx, conv);
  } catch (err) {
    if (err instanceof TemplateTurnError) return { kind: 'reject', message: err.message };
    throw err;
  }
  if (masked.total <= ctx.maxLength) return { kind: 'keep', counts: countsOf(masked), over: false };
  const why = `${masked.total} tokens > --max-length ${ctx.maxLength}`;
  if (ctx.overLength === 'keep') return { kind: 'keep', counts: countsOf(masked), over: true };
  if (ctx.overLength === 'drop') return { kind: 'drop', message: why };
  const cut = truncateAtTurn(ctx, conv, masked);
  if (!cut) return { kind: 'drop', message: `${why}, and no turn boundary leaves a trained turn within it` };
  return { kind: 'cut', counts: countsOf(cut.masked), keepMessages: cut.conv.messages.length };
}

/** The Outcome for a record given its decision; tells `onOverLength` about every over-length record. */
export function applyDecision(item: Keep<Conversation>, d: TokenizeDecision, onOverLength?: (conv: Conversation) => void): Outcome<Conversation> {
  const conv = item.value;
  if (d.kind === 'reject') return reject(item.ref, 'template_error', d.message, item.raw);
  if (d.kind === 'keep') {
    if (d.over) onOverLength?.(conv);
    // Object.assign, not a spread: the same keys in the same order, and on Node 20 the spread cost ~5 µs a record
    // on the main thread.
    return keep(item.ref, Object.assign({}, conv, d.counts), item.raw);
  }
  onOverLength?.(conv);
  if (d.kind === 'drop') return drop(item.ref, 'over_max_length', d.message, { id: conv.id });
  const meta = { ...(conv.meta ?? {}), truncated_from_messages: conv.messages.length };
  return keep(item.ref, { ...conv, messages: conv.messages.slice(0, d.keepMessages), meta, ...d.counts }, item.raw);
}

/** The single-thread tokenize stage (the reference path; src/parallel/ has the multi-core one). */
export function tokenizeStage(opts: TokenizeStageOptions): Stage<Conversation, Conversation> {
  const ctx: DecideOptions = {
    tokenizer: opts.tokenizer,
    template: opts.template,
    policy: resolvePolicy(opts),
    maxLength: opts.maxLength ?? 8192,
    overLength: opts.overLength ?? 'keep',
  };
  return mapStage<Conversation, Conversation>('tokenize', (item) => applyDecision(item, decideTokenize(ctx, item.value), opts.onOverLength));
}
