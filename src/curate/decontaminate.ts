import type { Message } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { UsageError, keep } from '../types.js';
import { mapStage } from '../stage.js';
import { BenchmarkIndex, type Match } from './benchmark-index.js';
import { loadBenchmarks, type BenchmarkSpec, type LoadedBenchmarks } from './benchmarks.js';
import { dropWithEvidence } from './evidence.js';
import { turnsText } from './text.js';

/**
 * decontaminate: drop (or, with mode: report, flag) training records that contain benchmark items,
 * by Tulu 3's rule: word 8-grams, contaminated when more than 50% of an item's 8-grams occur in the
 * record's chosen turns (user turns by default). See docs/curation.md.
 */
export interface DecontaminateOptions {
  benchmarks: (string | BenchmarkSpec)[];
  /** n-gram size in tokens (default 8). */
  ngram?: number;
  /** Fraction of an item's n-grams that must occur, strictly exceeded (default 0.5). */
  threshold?: number;
  /**
   * Items with fewer tokens than this are not used (default 3). Tulu 3's rule matches an item shorter
   * than ngram by containment; a two-word item ("Neural networks:") would then match any text.
   */
  minWords?: number;
  /** Roles whose turns are searched (default user only). */
  roles?: string[];
  /** drop (default): contaminated records go to dropped.jsonl; report: kept, counted as warning `contaminated`. */
  mode?: 'drop' | 'report';
}

export interface DecontaminationStats {
  benchmarks: LoadedBenchmarks['files'];
  items: number;
  /** Items not used because they have fewer than min_words tokens. */
  tooShort: number;
  indexMs: number;
  records: number;
  contaminated: number;
  /** Per benchmark: distinct items matched, records contaminated (best match only), per source file. */
  byBenchmark: Record<string, { itemsMatched: number; records: number; bySource: Record<string, number> }>;
}

type Searchable = { id: string; messages: Message[] };

export async function decontaminateStage<T extends Searchable>(o: DecontaminateOptions): Promise<Stage<T, T> & { stats(): DecontaminationStats }> {
  const ngram = o.ngram ?? 8;
  const threshold = o.threshold ?? 0.5;
  const roles = o.roles ?? ['user'];
  const mode = o.mode ?? 'drop';
  if (!o.benchmarks.length) throw new UsageError('decontaminate: name at least one benchmark file');
  if (!Number.isInteger(ngram) || ngram < 1) throw new UsageError(`decontaminate: ngram must be a positive integer, got ${ngram}`);
  if (!(threshold >= 0 && threshold < 1)) throw new UsageError(`decontaminate: threshold must be in [0, 1), got ${threshold}`);
  const t0 = performance.now();
  const loaded = await loadBenchmarks(o.benchmarks);
  const minWords = o.minWords ?? 3;
  if (!Number.isInteger(minWords) || minWords < 1) throw new UsageError(`decontaminate: min_words must be a positive integer, got ${minWords}`);
  const index = new BenchmarkIndex(loaded.items, ngram, threshold, minWords);
  const stats: DecontaminationStats = { benchmarks: loaded.files, items: loaded.items.length, tooShort: index.tooShort.length, indexMs: performance.now() - t0, records: 0, contaminated: 0, byBenchmark: Object.create(null) };
  const matched = new Map<string, Set<number>>();
  for (const f of loaded.files) {
    stats.byBenchmark[f.benchmark] ??= { itemsMatched: 0, records: 0, bySource: Object.create(null) };
    matched.set(f.benchmark, new Set());
  }

  const stage = mapStage<T, T>('decontaminate', (item, ctx) => {
    stats.records++;
    const found = index.match(turnsText(item.value.messages, roles));
    if (!found.length) return keep(item.ref, item.value, item.raw);
    // Best match: highest overlap, then the earliest benchmark item (deterministic).
    const best = found.reduce((a: Match, b: Match) => (b.overlap > a.overlap || (b.overlap === a.overlap && b.item < a.item) ? b : a));
    const it = index.items[best.item];
    stats.contaminated++;
    const per = stats.byBenchmark[it.benchmark];
    per.records++;
    per.bySource[item.ref.source] = (per.bySource[item.ref.source] ?? 0) + 1;
    for (const f of found) matched.get(index.items[f.item].benchmark)!.add(f.item);
    for (const [b, set] of matched) stats.byBenchmark[b].itemsMatched = set.size;
    if (mode === 'report') {
      ctx.warn('contaminated', item.ref);
      return keep(item.ref, item.value, item.raw);
    }
    const label = `${it.benchmark}[${it.index}]${it.id !== undefined ? ` (${it.id})` : ''}`;
    return dropWithEvidence(
      item.ref,
      'contaminated',
      best.short
        ? `benchmark item ${label} (shorter than ${ngram} words) occurs whole in its ${roles.join('/')} turns`
        : `${(best.overlap * 100).toFixed(1)}% of the ${ngram}-grams of benchmark item ${label} occur in its ${roles.join('/')} turns`,
      { id: item.value.id },
      { benchmark: it.benchmark, benchmark_index: it.index, ...(it.id !== undefined ? { benchmark_id: it.id } : {}), overlap: best.overlap },
    );
  });
  return Object.assign(stage, { stats: () => stats });
}
