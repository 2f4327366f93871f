import type { Message } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { UsageError, keep } from '../types.js';
import { BandIndex } from './band-index.js';
import { dropWithEvidence } from './evidence.js';
import { bandKeys, chooseBands, oneHashSignature, type LshParams } from './minhash.js';
import { ShingleStore } from './shingle-store.js';
import { gramHashes, shingleJaccard, tokenHashes, tokenStrings, turnsText } from './text.js';
import { U32Buffer } from '../u32-buffer.js';

/**
 * near_dedup: drop conversations whose shingle set has Jaccard similarity ≥ threshold with an earlier
 * kept conversation (MinHash LSH for candidates, exact Jaccard for the decision). See docs/curation.md.
 *
 * Phases (../shared/DESIGN.md):
 *  - collect: record → band keys (`NearDupSignatures.of`), plus its chosen-turn text in the spill;
 *  - decide: in input order, a record's candidates are the kept records sharing a band key; the first
 *    candidate (most shared bands, then input order) whose exact Jaccard is ≥ threshold makes it a
 *    near-duplicate; otherwise it is kept and its keys join the buckets (`NearDupDecider.decide`);
 *  - apply: keep, or drop with `duplicate_of` and `similarity`.
 * A record's decision depends only on the records before it, so in one process the three phases run
 * record by record and the stage streams: nothing is buffered but the band buckets and the spill.
 */
export interface NearDedupOptions {
  /** Jaccard similarity at or above which a record is a near-duplicate (default 0.8). */
  threshold?: number;
  /** Shingle size in tokens: words, or characters in scripts without spaces (default 5). */
  ngram?: number;
  /** MinHash bins (default 128). */
  numPerm?: number;
  /** LSH bands and rows per band; default chosen from threshold and numPerm (16 × 8 for 0.8). */
  bands?: number;
  rows?: number;
  seed?: number;
  /** Roles whose turns are compared (default user and assistant: shared system prompts would make everything alike). */
  roles?: string[];
  /** Most candidates checked exactly per record, by most shared bands first (default 100). */
  maxCandidates?: number;
  /** Where the spill goes (default the OS temp dir). */
  tmpDir?: string;
}

export type NearDedupSettings = Required<Omit<NearDedupOptions, 'tmpDir'>> & { tmpDir?: string };

export function nearDedupSettings(o: NearDedupOptions = {}): NearDedupSettings {
  const threshold = o.threshold ?? 0.8;
  const numPerm = o.numPerm ?? 128;
  if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`near_dedup: threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(numPerm) || numPerm < 1 || numPerm > 4096) throw new UsageError(`near_dedup: num_perm must be an integer in 1..4096, got ${numPerm}`);
  const chosen = chooseBands(threshold, numPerm);
  const bands = o.bands ?? (o.rows ? Math.floor(numPerm / o.rows) : chosen.bands);
  const rows = o.rows ?? (o.bands ? Math.floor(numPerm / o.bands) : chosen.rows);
  if (!(bands >= 1 && rows >= 1 && bands * rows <= numPerm)) throw new UsageError(`near_dedup: bands × rows (${bands} × ${rows}) must be ≥ 1 and fit in num_perm (${numPerm})`);
  const ngram = o.ngram ?? 5;
  if (!Number.isInteger(ngram) || ngram < 1) throw new UsageError(`near_dedup: ngram must be a positive integer, got ${ngram}`);
  return { threshold, ngram, numPerm, bands, rows, seed: o.seed ?? 42, roles: o.roles ?? ['user', 'assistant'], maxCandidates: o.maxCandidates ?? 100, tmpDir: o.tmpDir };
}

/** collect: text → band keys, reusing buffers across records. */
export class NearDupSignatures {
  private readonly tokens = new U32Buffer();
  private readonly grams = new U32Buffer();
  private readonly sig: Uint32Array;
  private readonly lsh: LshParams;

  constructor(private readonly s: NearDedupSettings) {
    this.sig = new Uint32Array(s.numPerm);
    this.lsh = { numPerm: s.numPerm, bands: s.bands, rows: s.rows, seed: s.seed };
  }

  /** Write the band keys of a text into `out`; false when the text has no tokens (no signature). */
  of(text: string, out: Uint32Array): boolean {
    tokenHashes(text, this.tokens);
    gramHashes(this.tokens, this.s.ngram, this.grams);
    if (!oneHashSignature(this.grams, this.s.seed, this.sig)) return false;
    bandKeys(this.sig, this.lsh, out);
    return true;
  }
}

export interface NearDupVerdict {
  duplicateOf: string;
  similarity: number;
}

/** decide: records must arrive in input order. */
export class NearDupDecider {
  readonly index = new BandIndex();
  private readonly cand = new Map<number, number>();
  comparisons = 0;

  constructor(private readonly s: NearDedupSettings, readonly store: ShingleStore) {}

  decide(id: string, text: string, keys: Uint32Array): NearDupVerdict | undefined {
    this.cand.clear();
    this.index.collectCounts(keys, this.cand);
    if (this.cand.size) {
      // Most shared bands first (likeliest to pass), then input order: deterministic.
      const order = [...this.cand].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, this.s.maxCandidates);
      const mine = tokenStrings(text);
      for (const [ordinal] of order) {
        const other = this.store.derived(ordinal, (r) => tokenStrings(r.text));
        this.comparisons++;
        const similarity = shingleJaccard(mine, other.value, this.s.ngram);
        if (similarity >= this.s.threshold) return { duplicateOf: other.id, similarity };
      }
    }
    this.index.insert(keys, this.store.add(id, text));
    return undefined;
  }
}

type Dedupable = { id: string; messages: Message[] };

/** The stage: the three phases record by record (see above). The spill is removed when the stream ends. */
export function nearDedupStage<T extends Dedupable>(opts: NearDedupOptions = {}): Stage<T, T> & { stats(): NearDedupStats } {
  const s = nearDedupSettings(opts);
  const stats: NearDedupStats = { settings: s, records: 0, kept: 0, dropped: 0, comparisons: 0, stateBytes: 0, spillBytes: 0 };
  return {
    name: 'near_dedup',
    stats: () => stats,
    async *run(input) {
      const signatures = new NearDupSignatures(s);
      const decider = new NearDupDecider(s, new ShingleStore(s.tmpDir));
      const keys = new Uint32Array(s.bands);
      try {
        for await (const item of input) {
          stats.records++;
          const text = turnsText(item.value.messages, s.roles);
          const verdict = signatures.of(text, keys) ? decider.decide(item.value.id, text, keys) : undefined;
          stats.comparisons = decider.comparisons;
          stats.stateBytes = decider.index.bytes + decider.store.bytes;
          stats.spillBytes = decider.store.spillBytes;
          if (!verdict) {
            stats.kept++;
            yield keep(item.ref, item.value, item.raw);
            continue;
          }
          stats.dropped++;
          yield dropWithEvidence(
            item.ref,
            'near_duplicate',
            `Jaccard ${verdict.similarity.toFixed(3)} ≥ ${s.threshold} with record ${verdict.duplicateOf}`,
            { id: item.value.id, duplicateOf: verdict.duplicateOf },
            { similarity: verdict.similarity },
          );
        }
      } finally {
        decider.store.close();
      }
    },
  };
}

export interface NearDedupStats {
  settings: NearDedupSettings;
  records: number;
  kept: number;
  dropped: number;
  /** Exact Jaccard computations (candidate pairs checked). */
  comparisons: number;
  /** Bytes of the state that grows with the input: band buckets + spill offsets. */
  stateBytes: number;
  /** Bytes in the temp spill (kept records' id and chosen-turn text); removed at the end. */
  spillBytes: number;
}
