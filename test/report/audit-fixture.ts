import type { Audit } from '../../schemas/audit.js';

/** A token bucket that fits schemas/audit.ts. */
export const bucket = () => ({ records: 2, tokens: 30, instruction_tokens: 10, response_tokens: 20 });

/** A good audit, as schemas/audit.ts accepts it, with two sources and two histogram bins; each call a new object. */
export const goodAudit = (): Audit => ({
  tokenizer: { name: 'hermes3', vocab_size: 128256, sha256: 'ab'.repeat(32) },
  template: 'chatml',
  records: 2,
  tokens: 30,
  instruction_tokens: 10,
  response_tokens: 20,
  response_share: 20 / 30,
  over_max_length: 0,
  packing: { seq_len: 8192, packs: 1, efficiency: 30 / 8192 },
  by_source: { 'a.jsonl': bucket(), 'b/c.jsonl': bucket() },
  by_category: { general: bucket() },
  length_histogram: [{ min: 0, max: 63, records: 2 }, { min: 64, max: 127, records: 0 }],
});
