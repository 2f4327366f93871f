// zod/mini: the same checks as zod's chaining API with a fraction of its code. This is the contract of audit.json
// for whatever reads it back (`chatmill export --audit`, CI scripts, the tests). Writing it does not load zod:
// src/report/audit-json.ts checks the audit with plain code held to this schema's verdict by its test.
import * as z from 'zod/mini';

const count = z.int().check(z.nonnegative());
const share = z.number().check(z.gte(0), z.lte(1));

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
  response_share: share,
  over_max_length: count,
  packing: z.strictObject({ seq_len: count, packs: count, efficiency: share }),
  by_source: z.record(z.string(), TokenBucket),
  by_category: z.record(z.string(), TokenBucket),
  length_histogram: z.array(z.strictObject({ min: count, max: count, records: count })),
});
export type Audit = z.infer<typeof Audit>;
