import { z } from 'zod';
import { Message, ToolSchema } from './chatml.js';

const count = z.number().int().nonnegative();

/**
 * A TRL conversational preference record: `prompt` is the shared conversation so far, `chosen` and
 * `rejected` are the assistant message(s) that follow it. Extra fields trace and score the pair.
 */
export const PreferencePair = z.object({
  id: z.string().min(1),
  source: z.string(),
  index: count,
  format: z.string(),
  prompt: z.array(Message).min(1),
  chosen: z.array(Message).min(1),
  rejected: z.array(Message).min(1),
  tools: z.array(ToolSchema).optional(),
  category: z.string().optional(),
  score_chosen: z.number().nullable().optional(),
  score_rejected: z.number().nullable().optional(),
  margin: z.number().nullable().optional(),
  n_prompt_tokens: count.optional(),
  n_chosen_tokens: count.optional(),
  n_rejected_tokens: count.optional(),
  /** Set on the extra copies a `mix` stage adds to fill a budget (1 for the second appearance, ...). */
  repeat: z.number().int().positive().optional(),
});
export type PreferencePair = z.infer<typeof PreferencePair>;

/** A TRL unpaired preference (KTO) record: one completion with a desirable/undesirable label. */
export const UnpairedPreference = z.object({
  id: z.string().min(1),
  source: z.string(),
  index: count,
  format: z.string(),
  prompt: z.array(Message).min(1),
  completion: z.array(Message).min(1),
  label: z.boolean(),
  tools: z.array(ToolSchema).optional(),
  category: z.string().optional(),
  n_prompt_tokens: count.optional(),
  n_completion_tokens: count.optional(),
  /** Set on the extra copies a `mix` stage adds to fill a budget. */
  repeat: z.number().int().positive().optional(),
});
export type UnpairedPreference = z.infer<typeof UnpairedPreference>;
