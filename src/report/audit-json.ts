import { Audit, type TokenBucket } from '../../schemas/audit.js';

/**
 * audit.json text: the Audit object validated against the contract, keys in schema order and the
 * per-source / per-category maps sorted by name, so two runs over the same data diff cleanly.
 */
export function auditJson(audit: Audit): string {
  const parsed = Audit.safeParse(audit);
  if (!parsed.success) {
    // The audit comes from our own code: a mismatch is a bug upstream, not bad user input.
    throw new Error(`audit does not match schemas/audit.ts: ${parsed.error.message}`);
  }
  return `${JSON.stringify(canonicalAudit(audit), null, 2)}\n`;
}

function canonicalAudit(a: Audit): Audit {
  return {
    tokenizer: { name: a.tokenizer.name, vocab_size: a.tokenizer.vocab_size, sha256: a.tokenizer.sha256 },
    template: a.template,
    records: a.records,
    tokens: a.tokens,
    instruction_tokens: a.instruction_tokens,
    response_tokens: a.response_tokens,
    response_share: a.response_share,
    over_max_length: a.over_max_length,
    packing: { seq_len: a.packing.seq_len, packs: a.packing.packs, efficiency: a.packing.efficiency },
    by_source: sortedBuckets(a.by_source),
    by_category: sortedBuckets(a.by_category),
    length_histogram: a.length_histogram.map((b) => ({ min: b.min, max: b.max, records: b.records })),
  };
}

function sortedBuckets(m: Record<string, TokenBucket>): Record<string, TokenBucket> {
  const names = Object.keys(m).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  // fromEntries defines own properties, so a source literally named "__proto__" stays data.
  return Object.fromEntries(
    names.map((n) => {
      const b = m[n];
      return [n, { records: b.records, tokens: b.tokens, instruction_tokens: b.instruction_tokens, response_tokens: b.response_tokens }];
    }),
  );
}
