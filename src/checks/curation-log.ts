import type { Keep, Outcome, SourceRef, Stage, StageContext } from '../types.js';
import { isMapStage, refKey, stageOfMap, type MapStage } from '../stage.js';

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

const emptyReport = (stage: string, settings: Record<string, unknown>): CurationStageReport => ({ stage, settings, records: 0, removed: 0, rejected: 0, flagged: 0, byReason: {}, bySource: {}, byCategory: {}, examples: [] });

/** Collects the reports of the curation stages of one dataset, in pipeline order. */
export class CurationLog {
  readonly stages: CurationStageReport[] = [];
  /** The report each watching stage counts into, so a distributed run can find a chain stage's report. */
  private readonly reports = new Map<Stage<any, any>, CurationStageReport>();
  private partOf?: (ref: SourceRef) => number;
  /** With `splitBy`: per part, the reports of every stage (same positions as `stages`), counted over that part's records only. */
  private readonly parts = new Map<number, CurationStageReport[]>();

  /** A log holding reports made elsewhere (a distributed run's merge). */
  static of(reports: CurationStageReport[]): CurationLog {
    const log = new CurationLog();
    log.stages.push(...reports);
    return log;
  }

  /**
   * Also count every record into the report of its part (a work unit of a distributed run), so each part's
   * reports can be persisted and combined later in input order (`combineReports`). Costs one lookup per event.
   */
  splitBy(partOf: (ref: SourceRef) => number): void {
    this.partOf = partOf;
  }

  /** The reports of one part, one per stage in pipeline order (zero counts where the part had no record). */
  partReports(part: number): CurationStageReport[] {
    const mine = this.parts.get(part) ?? [];
    return this.stages.map((r, i) => mine[i] ?? emptyReport(r.stage, r.settings));
  }

  /** The report a stage returned by `watch` or `rewatch` counts into. */
  reportOf(stage: Stage<any, any>): CurationStageReport | undefined {
    return this.reports.get(stage);
  }

  /**
   * `stage`, passing every outcome through unchanged while counting its drops, rejects and warnings by reason,
   * source file and category, and keeping the first few as examples. The stage must emit each record's outcome
   * before it pulls the next one (every stage must), so at most one record's category is held at a time.
   */
  watch<T extends { id?: string; category?: string }>(stage: Stage<T, T>, settings: Record<string, unknown>): Stage<T, T> {
    this.stages.push(emptyReport(stage.name, settings));
    return this.watchInto(stage, this.stages.length - 1);
  }

  /**
   * `stage` counted into the report of `original` (a stage this log watches): for a stand-in that gives back
   * the outcomes and warnings `original` produced elsewhere (the decide phase's replay of a distributed run).
   */
  rewatch<T extends { id?: string; category?: string }>(original: Stage<any, any>, stage: Stage<T, T>): Stage<T, T> {
    const report = this.reports.get(original);
    if (!report) throw new Error(`rewatch: ${original.name} is not a stage of this curation log`);
    return this.watchInto(stage, this.stages.indexOf(report));
  }

  private watchInto<T extends { id?: string; category?: string }>(stage: Stage<T, T>, position: number): Stage<T, T> {
    const report = this.stages[position];
    // One process (the common path) counts into the stage's report alone, without a new array per record.
    const only = [report];
    const targets = (ref: SourceRef): CurationStageReport[] => {
      if (!this.partOf) return only;
      const part = this.partOf(ref);
      let mine = this.parts.get(part);
      if (!mine) this.parts.set(part, (mine = []));
      return [report, (mine[position] ??= emptyReport(report.stage, report.settings))];
    };
    const count = (r: CurationStageReport, source: string, category: string, outcome: CurationExample['outcome'], reason: string) => {
      r[outcome]++;
      r.byReason[reason] = (r.byReason[reason] ?? 0) + 1;
      (r.bySource[source] ??= { removed: 0, rejected: 0, flagged: 0 })[outcome]++;
      (r.byCategory[category] ??= { removed: 0, rejected: 0, flagged: 0 })[outcome]++;
    };
    const received = (item: Keep<T>): Seen => {
      for (const r of targets(item.ref)) r.records++;
      return { id: item.value.id, category: item.value.category ?? NO_CATEGORY };
    };
    const warned = (code: string, ref: SourceRef, seen: Seen) => {
      for (const r of targets(ref)) {
        count(r, ref.source, seen?.category ?? NO_CATEGORY, 'flagged', code);
        if (r.examples.filter((e) => e.outcome === 'flagged').length < EXAMPLES) r.examples.push({ id: seen?.id, source: ref.source, index: ref.index, reason: code, outcome: 'flagged', evidence: {} });
      }
    };
    const decided = (out: Outcome<T>, seen: Seen) => {
      if (out.kind === 'keep') return;
      const outcome = out.kind === 'drop' ? 'removed' : 'rejected';
      for (const r of targets(out.ref)) {
        count(r, out.ref.source, seen?.category ?? NO_CATEGORY, outcome, out.reason);
        if (r.examples.filter((e) => e.outcome === outcome).length < EXAMPLES) {
          const evidence: Record<string, string | number> = {};
          if (out.kind === 'drop') {
            if (out.duplicateOf) evidence.duplicate_of = out.duplicateOf;
            for (const [k, v] of Object.entries(out.detail ?? {})) if (typeof v === 'string' || typeof v === 'number') evidence[k] = v;
          } else evidence.path = out.path;
          r.examples.push({ id: out.kind === 'drop' ? (out.id ?? seen?.id) : seen?.id, source: out.ref.source, index: out.ref.index, reason: out.reason, outcome, evidence });
        }
      }
    };
    const watching = isMapStage(stage) ? watchMap(stage as MapStage<T, T>, received, warned, decided) : watchRun(stage, received, warned, decided);
    this.reports.set(watching, report);
    return watching;
  }
}

type Seen = { id?: string; category: string } | undefined;
/** What a watched stage reports to its log: a record received, a warning, an outcome. */
type Received<T> = (item: Keep<T>) => Seen;
type Warned = (code: string, ref: SourceRef, seen: Seen) => void;
type Decided<T> = (out: Outcome<T>, seen: Seen) => void;

const sameRef = (a: SourceRef, b: SourceRef | undefined) => b !== undefined && a.index === b.index && a.source === b.source;

/**
 * A watched map stage is a map stage itself, so the runner still runs it in one loop with its neighbours
 * (src/run.ts). One record is in it at a time: the one `map` was called with.
 */
function watchMap<T>(stage: MapStage<T, T>, received: Received<T>, warned: Warned, decided: Decided<T>): MapStage<T, T> {
  let seen: Seen;
  let seenRef: SourceRef | undefined;
  let outer: StageContext | undefined;
  let watchedCtx: StageContext | undefined;
  const contextFor = (ctx: StageContext): StageContext => {
    if (ctx !== outer) {
      outer = ctx;
      watchedCtx = {
        noteFormat: (ref, format) => ctx.noteFormat(ref, format),
        warn(code, ref) {
          warned(code, ref, sameRef(ref, seenRef) ? seen : undefined);
          ctx.warn(code, ref);
        },
      };
    }
    return watchedCtx!;
  };
  const map = (item: Keep<T>, ctx: StageContext): Outcome<T> | Promise<Outcome<T>> => {
    const mine = received(item);
    seen = mine;
    seenRef = item.ref;
    const settle = (out: Outcome<T>) => {
      decided(out, sameRef(out.ref, item.ref) ? mine : undefined);
      return out;
    };
    const result = stage.map(item, contextFor(ctx));
    return result instanceof Promise ? result.then(settle) : settle(result);
  };
  return stageOfMap(stage.name, map, stage.finish?.bind(stage));
}

/** Any other stage: the records it has pulled and not yet answered are held by key until their outcome comes. */
function watchRun<T>(stage: Stage<T, T>, received: Received<T>, warned: Warned, decided: Decided<T>): Stage<T, T> {
  return {
    name: stage.name,
    finish: stage.finish?.bind(stage),
    async *run(input, ctx) {
      const inFlight = new Map<string, Seen>();
      async function* noted(): AsyncIterable<Keep<T>> {
        for await (const item of input) {
          inFlight.set(refKey(item.ref), received(item));
          yield item;
        }
      }
      const watchedCtx: StageContext = {
        noteFormat: (ref, format) => ctx.noteFormat(ref, format),
        warn(code, ref) {
          warned(code, ref, inFlight.get(refKey(ref)));
          ctx.warn(code, ref);
        },
      };
      for await (const out of stage.run(noted(), watchedCtx) as AsyncIterable<Outcome<T>>) {
        const key = refKey(out.ref);
        const seen = inFlight.get(key);
        inFlight.delete(key);
        decided(out, seen);
        yield out;
      }
    },
  };
}

/**
 * One stage's report over the whole input from the reports of its parts, given in input order: what one
 * process counting the parts one after another reports. Counts add up; reasons, sources and categories keep
 * the order they were first seen in; the examples are the first few of each outcome, as one process keeps them
 * (an example among the first few of the whole input is among the first few of its part).
 */
export function combineReports(parts: CurationStageReport[]): CurationStageReport {
  if (!parts.length) throw new Error('combineReports: no reports');
  const into = emptyReport(parts[0].stage, parts[0].settings);
  const addCounts = (to: Record<string, Counts>, from: Record<string, Counts>) => {
    for (const [k, c] of Object.entries(from)) {
      const t = (to[k] ??= { removed: 0, rejected: 0, flagged: 0 });
      t.removed += c.removed;
      t.rejected += c.rejected;
      t.flagged += c.flagged;
    }
  };
  for (const p of parts) {
    into.records += p.records;
    into.removed += p.removed;
    into.rejected += p.rejected;
    into.flagged += p.flagged;
    for (const [k, n] of Object.entries(p.byReason)) into.byReason[k] = (into.byReason[k] ?? 0) + n;
    addCounts(into.bySource, p.bySource);
    addCounts(into.byCategory, p.byCategory);
    for (const e of p.examples) if (into.examples.filter((x) => x.outcome === e.outcome).length < EXAMPLES) into.examples.push(e);
  }
  return into;
}
