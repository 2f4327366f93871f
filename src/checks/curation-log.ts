import type { Keep, Outcome, Stage, StageContext } from '../types.js';
import { refKey } from '../stage.js';

/** What one curation stage did, for the audit's Curation section and the card's provenance. */
export interface CurationStageReport {
  stage: string;
  /** The thresholds and options the stage ran with, as the pipeline names them. */
  settings: Record<string, unknown>;
  records: number;
  /** Dropped (to dropped.jsonl). */
  removed: number;
  /** Rejected (to rejects.jsonl). */
  rejected: number;
  /** Kept with a warning. */
  flagged: number;
  byReason: Record<string, number>;
  bySource: Record<string, Counts>;
  byCategory: Record<string, Counts>;
  examples: CurationExample[];
}

export interface Counts {
  removed: number;
  rejected: number;
  flagged: number;
}

export interface CurationExample {
  id?: string;
  source: string;
  index: number;
  reason: string;
  outcome: 'removed' | 'rejected' | 'flagged';
  /** similarity, overlap, benchmark, duplicate_of, phrase, or the reject's path. */
  evidence: Record<string, string | number>;
}

const EXAMPLES = 5;
const NO_CATEGORY = '(none)';

/** Collects the reports of the curation stages of one dataset, in pipeline order. */
export class CurationLog {
  readonly stages: CurationStageReport[] = [];

  /**
   * `stage`, passing every outcome through unchanged while counting its drops, rejects and warnings by reason,
   * source file and category, and keeping the first few as examples. The stage must emit each record's outcome
   * before it pulls the next one (every stage must), so at most one record's category is held at a time.
   */
  watch<T extends { id?: string; category?: string }>(stage: Stage<T, T>, settings: Record<string, unknown>): Stage<T, T> {
    const report: CurationStageReport = { stage: stage.name, settings, records: 0, removed: 0, rejected: 0, flagged: 0, byReason: {}, bySource: {}, byCategory: {}, examples: [] };
    this.stages.push(report);
    const inFlight = new Map<string, { id?: string; category: string }>();
    const count = (source: string, category: string, outcome: CurationExample['outcome'], reason: string) => {
      report[outcome]++;
      report.byReason[reason] = (report.byReason[reason] ?? 0) + 1;
      (report.bySource[source] ??= { removed: 0, rejected: 0, flagged: 0 })[outcome]++;
      (report.byCategory[category] ??= { removed: 0, rejected: 0, flagged: 0 })[outcome]++;
    };
    return {
      name: stage.name,
      finish: stage.finish?.bind(stage),
      async *run(input, ctx) {
        async function* noted(): AsyncIterable<Keep<T>> {
          for await (const item of input) {
            report.records++;
            inFlight.set(refKey(item.ref), { id: item.value.id, category: item.value.category ?? NO_CATEGORY });
            yield item;
          }
        }
        const watchedCtx: StageContext = {
          noteFormat: (ref, format) => ctx.noteFormat(ref, format),
          warn(code, ref) {
            const seen = inFlight.get(refKey(ref));
            count(ref.source, seen?.category ?? NO_CATEGORY, 'flagged', code);
            if (report.examples.filter((e) => e.outcome === 'flagged').length < EXAMPLES) report.examples.push({ id: seen?.id, source: ref.source, index: ref.index, reason: code, outcome: 'flagged', evidence: {} });
            ctx.warn(code, ref);
          },
        };
        for await (const out of stage.run(noted(), watchedCtx) as AsyncIterable<Outcome<T>>) {
          const key = refKey(out.ref);
          const seen = inFlight.get(key);
          inFlight.delete(key);
          if (out.kind !== 'keep') {
            const outcome = out.kind === 'drop' ? 'removed' : 'rejected';
            count(out.ref.source, seen?.category ?? NO_CATEGORY, outcome, out.reason);
            if (report.examples.filter((e) => e.outcome === outcome).length < EXAMPLES) {
              const evidence: Record<string, string | number> = {};
              if (out.kind === 'drop') {
                if (out.duplicateOf) evidence.duplicate_of = out.duplicateOf;
                for (const [k, v] of Object.entries(out.detail ?? {})) if (typeof v === 'string' || typeof v === 'number') evidence[k] = v;
              } else evidence.path = out.path;
              report.examples.push({ id: out.kind === 'drop' ? (out.id ?? seen?.id) : seen?.id, source: out.ref.source, index: out.ref.index, reason: out.reason, outcome, evidence });
            }
          }
          yield out;
        }
      },
    };
  }
}
