import { z } from 'zod';

const count = z.number().int().nonnegative();

export const TokenBucket = z.object({
  records: count,
  tokens: count,
  instruction_tokens: count,
  response_tokens: count,
});
export type TokenBucket = z.infer<typeof TokenBucket>;

/**
 * `audit.json`, and `chatmill audit --json` on stdout. CI scripts rely on exactly these keys.
 */
export const Audit = z.strictObject({
  tokenizer: z.strictObject({ name: z.string(), vocab_size: count, sha256: z.string() }),
  template: z.string(),
  records: count,
  tokens: count,
  instruction_tokens: count,
  response_tokens: count,
  response_share: z.number().min(0).max(1),
  over_max_length: count,
  packing: z.strictObject({ seq_len: count, packs: count, efficiency: z.number().min(0).max(1) }),
  by_source: z.record(z.string(), TokenBucket),
  by_category: z.record(z.string(), TokenBucket),
  length_histogram: z.array(z.strictObject({ min: count, max: count, records: count })),
});
export type Audit = z.infer<typeof Audit>;
