import type { Audit, TokenBucket } from '../../schemas/audit.js';
import type { Conversation } from '../../schemas/chatml.js';
import { tapStage } from '../stage.js';
import type { Stage } from '../types.js';
import { lengthHistogram } from './histogram.js';
import { packFirstFitDecreasing } from './packing.js';

export interface AuditOptions {
  tokenizer: { name: string; vocab_size: number; sha256: string };
  template: string;
  maxLength: number;
  /** Pack length for the packing estimate; defaults to maxLength. */
  seqLen?: number;
  /** Category for records without their own `category` (the pipeline file's source→category map). */
  categoryBySource?: Record<string, string>;
}

export interface CountedRecord {
  source: string;
  category?: string;
  n_tokens: number;
  n_instruction_tokens: number;
  n_response_tokens: number;
}

export { describeTemplate } from './template-name.js';

export const UNCATEGORIZED = 'uncategorized';


const emptyBucket = (): TokenBucket => ({ records: 0, tokens: 0, instruction_tokens: 0, response_tokens: 0 });

/** Collects per-record counts and produces the audit.json object (schemas/audit.ts). */
export class AuditAccumulator {
  private readonly opts: AuditOptions;
  private lengths = new Int32Array(1024);
  private count = 0;
  private readonly total = emptyBucket();
  // Keys are file paths and category names from data: no prototype, so `__proto__` is just a key.
  private readonly bySource: Record<string, TokenBucket> = Object.create(null);
  private readonly byCategory: Record<string, TokenBucket> = Object.create(null);
  private overLength = 0;

  constructor(opts: AuditOptions) {
    this.opts = opts;
  }

  /** One record as kept after tokenizing (after drop/truncate, if any). */
  add(r: CountedRecord): void {
    if (this.count === this.lengths.length) {
      const grown = new Int32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[this.count++] = r.n_tokens;
    const category = r.category ?? this.mappedCategory(r.source) ?? UNCATEGORIZED;
    for (const b of [this.total, (this.bySource[r.source] ??= emptyBucket()), (this.byCategory[category] ??= emptyBucket())]) {
      b.records++;
      b.tokens += r.n_tokens;
      b.instruction_tokens += r.n_instruction_tokens;
      b.response_tokens += r.n_response_tokens;
    }
  }

  /** Own keys only: a source named `__proto__` must not find Object.prototype. */
  private mappedCategory(source: string): string | undefined {
    const map = this.opts.categoryBySource;
    if (!map || !Object.hasOwn(map, source)) return undefined;
    const c = map[source];
    return typeof c === 'string' ? c : undefined;
  }

  /** A record was longer than max length before the over-length policy acted on it. */
  noteOverLength = (): void => {
    this.overLength++;
  };

  result(): Audit {
    const lengths = this.lengths.subarray(0, this.count);
    const t = this.total;
    return {
      tokenizer: { ...this.opts.tokenizer },
      template: this.opts.template,
      records: t.records,
      tokens: t.tokens,
      instruction_tokens: t.instruction_tokens,
      response_tokens: t.response_tokens,
      response_share: t.tokens ? t.response_tokens / t.tokens : 0,
      over_max_length: this.overLength,
      packing: packFirstFitDecreasing({ lengths, seqLen: this.opts.seqLen ?? this.opts.maxLength }),
      by_source: sortedCopy(this.bySource),
      by_category: sortedCopy(this.byCategory),
      length_histogram: lengthHistogram({ lengths, maxLength: this.opts.maxLength }),
    };
  }
}

function sortedCopy(m: Record<string, TokenBucket>): Record<string, TokenBucket> {
  const out: Record<string, TokenBucket> = Object.create(null);
  for (const k of Object.keys(m).sort()) out[k] = { ...m[k] };
  return out;
}

/**
 * A pass-through stage that feeds every tokenized record to the accumulator. Put it after tokenizeStage,
 * and give tokenizeStage `onOverLength: acc.noteOverLength` so over-length records are counted too.
 */
export function auditStage(acc: AuditAccumulator): Stage<Conversation, Conversation> {
  return tapStage<Conversation>('audit', (item) => {
    const c = item.value;
    if (c.n_tokens === undefined) throw new Error('audit stage needs tokenized records: put tokenizeStage before it');
    acc.add({ source: c.source, category: c.category, n_tokens: c.n_tokens, n_instruction_tokens: c.n_instruction_tokens ?? 0, n_response_tokens: c.n_response_tokens ?? 0 });
  });
}
