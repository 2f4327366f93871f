import { z } from 'zod';

/** A record that failed validation. Written to rejects.jsonl; `raw` is the original text. */
export const Reject = z.object({
  source: z.string(),
  index: z.number().int().nonnegative(),
  line: z.number().int().positive().optional(),
  stage: z.string(),
  reason: z.string().regex(/^[a-z][a-z0-9_]*$/),
  message: z.string(),
  path: z.string(),
  raw: z.string(),
  raw_truncated: z.boolean().optional(),
});
export type Reject = z.infer<typeof Reject>;

/** A record removed on purpose (duplicate, over-length, tie...). Written to dropped.jsonl. */
export const Drop = z.object({
  source: z.string(),
  index: z.number().int().nonnegative(),
  stage: z.string(),
  reason: z.string().regex(/^[a-z][a-z0-9_]*$/),
  message: z.string(),
  id: z.string().optional(),
  duplicate_of: z.string().optional(),
  // Evidence, by the stage that dropped: near_dedup
  similarity: z.number().min(0).max(1).optional(),
  // decontaminate
  benchmark: z.string().optional(),
  benchmark_index: z.number().int().nonnegative().optional(),
  benchmark_id: z.string().optional(),
  overlap: z.number().min(0).max(1).optional(),
  // mix (over_budget)
  group: z.string().optional(),
  budget: z.number().optional(),
  used: z.number().optional(),
});
export type Drop = z.infer<typeof Drop>;
