import { z } from 'zod';
import { ROLES } from './roles.js';

/** The four roles a normalized ChatML conversation may use. */
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * One function call an assistant turn makes, in the OpenAI / TRL shape. `arguments` is a JSON object here;
 * the Parquet export writes it as a JSON string (the OpenAI and TRL convention).
 */
export const ToolCall = z.object({
  id: z.string().optional(),
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
  }),
});
export type ToolCall = z.infer<typeof ToolCall>;

/**
 * One ChatML turn. Tool calls are data: an assistant turn lists them in `tool_calls` (its `content` is the
 * text around them, often empty); a tool turn holds the tool's raw output in `content`, with the `name` of the
 * function it answers and the `tool_call_id` of the call when the source gave one. The Hermes
 * `<tool_call>` / `<tool_response>` text is produced at render time (src/chatml/render.ts). Hermes text that
 * cannot be taken apart without changing its bytes (unusual layouts) stays in `content` as it was written.
 */
export const Message = z.object({
  role: Role,
  content: z.string(),
  tool_calls: z.array(ToolCall).min(1).optional(),
  name: z.string().min(1).optional(),
  tool_call_id: z.string().optional(),
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
