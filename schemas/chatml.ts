import { z } from 'zod';

/** The four roles a normalized ChatML conversation may use. */
export const Role = z.enum(['system', 'user', 'assistant', 'tool']);
export type Role = z.infer<typeof Role>;

/** One ChatML turn. Tool calls and tool results live inside `content` in Hermes form. */
export const Message = z.object({
  role: Role,
  content: z.string(),
});
export type Message = z.infer<typeof Message>;

/** An OpenAI function-tool schema: {type: "function", function: {name, description?, parameters?}}. */
export const ToolSchema = z.object({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.unknown().optional(),
  }),
});
export type ToolSchema = z.infer<typeof ToolSchema>;

const count = z.number().int().nonnegative();

/**
 * The one normalized record every later stage consumes.
 * `source` + `index` always trace the record back to its input line or array position.
 */
export const Conversation = z.object({
  id: z.string().min(1),
  source: z.string(),
  index: count,
  format: z.string(),
  messages: z.array(Message).min(1),
  tools: z.array(ToolSchema).optional(),
  category: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  n_tokens: count.optional(),
  n_instruction_tokens: count.optional(),
  n_response_tokens: count.optional(),
  /** Set on the extra copies a `mix` stage adds to fill a budget: 1 for the first copy, 2 for the second... */
  repeat: z.number().int().positive().optional(),
});
export type Conversation = z.infer<typeof Conversation>;
