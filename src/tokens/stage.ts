import type { Conversation } from '../../schemas/chatml.js';
import { mapStage } from '../stage.js';
import type { Keep, Outcome, Stage } from '../types.js';
import { drop, keep, reject } from '../types.js';
import type { MaskedTokens } from './count.js';
import { maskTokens } from './count.js';
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
const countsOf = (m: MaskedTokens): Counted => ({ n_tokens: m.total, n_instruction_tokens: m.instruction, n_response_tokens: m.response });

/**
 * Count a record: n_tokens, n_instruction_tokens and n_response_tokens of its rendered text.
 * Throws TemplateTurnError when the template cannot be split into turns for this record.
 */
export function countConversation(opts: { tokenizer: TokenEncoder; template: ChatTemplate; policy: MaskPolicy }, conv: Conversation): MaskedTokens {
  return maskTokens(opts.tokenizer, opts.template.segments(conv), opts.policy);
}

/**
 * Cut a too-long record at a turn boundary: keep the longest prefix of whole messages that fits and still
 * ends with a trained turn. Undefined when no such prefix exists. The prefix is re-tokenized, so its counts
 * are exact (a token straddling the cut could otherwise be off by one).
 */
export function truncateAtTurn(
  opts: { tokenizer: TokenEncoder; template: ChatTemplate; policy: MaskPolicy; maxLength: number },
  conv: Conversation,
  full: MaskedTokens,
): { conv: Conversation; masked: MaskedTokens } | undefined {
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

export function tokenizeStage(opts: TokenizeStageOptions): Stage<Conversation, Conversation> {
  const policy: MaskPolicy = {
    trainOnEos: opts.trainOnEos ?? 'turn',
    rolesToTrain: opts.rolesToTrain ?? ['assistant'],
    lastTurnOnly: opts.lastTurnOnly ?? false,
  };
  const maxLength = opts.maxLength ?? 8192;
  const overLength = opts.overLength ?? 'keep';
  const ctx = { tokenizer: opts.tokenizer, template: opts.template, policy, maxLength };

  return mapStage<Conversation, Conversation>('tokenize', (item: Keep<Conversation>): Outcome<Conversation> => {
    const conv = item.value;
    let masked: MaskedTokens;
    try {
      masked = countConversation(ctx, conv);
    } catch (err) {
      if (err instanceof TemplateTurnError) return reject(item.ref, 'template_error', err.message, item.raw);
      throw err;
    }
    if (masked.total <= maxLength) return keep(item.ref, { ...conv, ...countsOf(masked) }, item.raw);
    opts.onOverLength?.(conv);
    const why = `${masked.total} tokens > --max-length ${maxLength}`;
    if (overLength === 'keep') return keep(item.ref, { ...conv, ...countsOf(masked) }, item.raw);
    if (overLength === 'drop') return drop(item.ref, 'over_max_length', why, { id: conv.id });
    const cut = truncateAtTurn(ctx, conv, masked);
    if (!cut) return drop(item.ref, 'over_max_length', `${why}, and no turn boundary leaves a trained turn within it`, { id: conv.id });
    const meta = { ...(conv.meta ?? {}), truncated_from_messages: conv.messages.length };
    return keep(item.ref, { ...cut.conv, meta, ...countsOf(cut.masked) }, item.raw);
  });
}
