import type { Audit, TokenBucket } from '../../schemas/audit.js';

/**
 * audit.json text: the Audit object validated against the contract, keys in schema order and the
 * per-source / per-category maps sorted by name, so two runs over the same data diff cleanly.
 */
export function auditJson(audit: Audit): string {
  const problem = auditProblem(audit);
  if (problem !== undefined) {
    // The audit comes from our own code: a mismatch is a bug upstream, not bad user input.
    throw new Error(`audit does not match schemas/audit.ts: ${problem}`);
  }
  return `${JSON.stringify(canonicalAudit(audit), null, 2)}\n`;
}

/*
 * The check of the audit before it is written: what schemas/audit.ts's zod schema accepts, in plain code. The
 * schema stays the contract for whatever reads audit.json back (`chatmill export --audit`, CI); writing checks
 * our own object, and loading zod's core for that (111 KB of JavaScript) was about a tenth of a 1-record audit's
 * start-up. test/report/audit-json.test.ts holds this check to the schema's verdict on hundreds of variants.
 */

type Problem = string | undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** z.int().check(z.nonnegative()): a safe integer, 0 or more. */
const count = (v: unknown, at: string): Problem => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${at}: not a whole number from 0 to 2^53 - 1`);
/** z.number().check(z.gte(0), z.lte(1)). */
const share = (v: unknown, at: string): Problem => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : `${at}: not a number from 0 to 1`);
const text = (v: unknown, at: string): Problem => (typeof v === 'string' ? undefined : `${at}: not a string`);

/** An object with these fields (`strict`: and no others, as z.strictObject; else others are ignored, as z.object). */
function fields(v: unknown, at: string, shape: Record<string, (v: unknown, at: string) => Problem>, strict: boolean): Problem {
  if (!isObject(v)) return `${at}: not an object`;
  for (const [k, check] of Object.entries(shape)) {
    const p = check(v[k], `${at}.${k}`);
    if (p !== undefined) return p;
  }
  if (strict) for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) return `${at}: unknown key ${JSON.stringify(k)}`;
  return undefined;
}

const BUCKET = { records: count, tokens: count, instruction_tokens: count, response_tokens: count };
const BIN = { min: count, max: count, records: count };

function buckets(v: unknown, at: string): Problem {
  if (!isObject(v)) return `${at}: not an object`;
  for (const [k, b] of Object.entries(v)) {
    const p = fields(b, `${at}[${JSON.stringify(k)}]`, BUCKET, false);
    if (p !== undefined) return p;
  }
  return undefined;
}

function bins(v: unknown, at: string): Problem {
  if (!Array.isArray(v)) return `${at}: not an array`;
  for (let i = 0; i < v.length; i++) {
    const p = fields(v[i], `${at}[${i}]`, BIN, true);
    if (p !== undefined) return p;
  }
  return undefined;
}

const AUDIT = {
  tokenizer: (v: unknown, at: string) => fields(v, at, { name: text, vocab_size: count, sha256: text }, true),
  template: text,
  records: count,
  tokens: count,
  instruction_tokens: count,
  response_tokens: count,
  response_share: share,
  over_max_length: count,
  packing: (v: unknown, at: string) => fields(v, at, { seq_len: count, packs: count, efficiency: share }, true),
  by_source: buckets,
  by_category: buckets,
  length_histogram: bins,
};

/** The first way `audit` breaks schemas/audit.ts (a path and what is wrong), or undefined when it is an Audit. */
export function auditProblem(audit: unknown): string | undefined {
  return fields(audit, 'audit', AUDIT, true);
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
