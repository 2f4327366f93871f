import type { Dropped, Keep, Outcome, Rejected, Stage, StageContext } from './types.js';
import { ConservationError } from './types.js';
import { isMapStage, type MapStage } from './stage.js';
import { Tally, type StageCounts } from './tally.js';

export interface Sinks {
  reject(r: Rejected, stage: string): void | Promise<void>;
  drop(d: Dropped, stage: string): void | Promise<void>;
}

export interface RunParams {
  /** Reader output: every outcome here counts as one record read from its file. */
  source: AsyncIterable<Outcome<unknown>>;
  stages: Stage<any, any>[];
  sinks: Sinks;
  tally?: Tally;
  /** Called for every kept item that leaves the last stage. */
  onOutput?: (item: Keep<unknown>) => void | Promise<void>;
  /** Prefix for this run's stage counters (a pipeline with several datasets shares one tally). */
  label?: string;
  /** Told about every record read (drives a progress display). */
  onRead?: () => void;
}

type Fate = 'kept' | 'rejected' | 'dropped';

/**
 * Chains stages over async iterables, diverts rejects and drops to the sinks, counts everything,
 * and checks conservation per input file: read = kept + rejected + dropped.
 *
 * A record's fate is decided once: kept if at least one item derived from it leaves the last stage,
 * otherwise rejected (if any of its items was rejected) or dropped. Only one record is open at a time,
 * so a record's events must arrive together: a fan-out stage (pairs) emits all outcomes of one input
 * before pulling the next, and a stage may read ahead (the worker-thread tokenizer does) only when every
 * record yields exactly one outcome. A record whose events were split would be counted twice, which the
 * conservation check then reports.
 */
export async function runPipeline(params: RunParams): Promise<Tally> {
  const tally = params.tally ?? new Tally();
  const ctx: StageContext = { warn: (c, r) => tally.warn(c, r), noteFormat: (r, f) => tally.noteFormat(r, f) };

  // The record whose fates are being gathered: its source and index (no key string is built per record).
  let openSource: string | undefined;
  let openIndex = -1;
  let openFates = new Set<Fate>();
  const settle = () => {
    if (openSource === undefined) return;
    const book = tally.file(openSource);
    if (openFates.has('kept')) book.kept++;
    else if (openFates.has('rejected')) book.rejected++;
    else book.dropped++;
    openSource = undefined;
    openFates = new Set();
  };
  const note = (source: string, index: number, fate: Fate) => {
    if (source !== openSource || index !== openIndex) {
      settle();
      openSource = source;
      openIndex = index;
    }
    openFates.add(fate);
  };

  const counter = (stageName: string) => tally.stage(params.label ? `${params.label}/${stageName}` : stageName);
  // Create the counters in pipeline order so summaries list stages as they run.
  for (const name of ['read', ...params.stages.map((s) => s.name)]) counter(name);

  /** A reject or a drop leaves the stream here: counted, noted for its record, and written to its sink. */
  const divertOne = async (o: Rejected | Dropped, stageName: string, counts: StageCounts) => {
    if (o.kind === 'reject') {
      counts.rejected++;
      tally.countReason(o.reason);
      note(o.ref.source, o.ref.index, 'rejected');
      await params.sinks.reject(o, stageName);
    } else {
      counts.dropped++;
      tally.countDropReason(o.reason);
      note(o.ref.source, o.ref.index, 'dropped');
      await params.sinks.drop(o, stageName);
    }
  };

  // Each stage's received count is kept by whatever feeds it, when it hands the item over: a generator yields only
  // when its consumer pulls, so that is the moment the stage receives it (no extra generator per stage to count).
  type Feed = StageCounts | undefined;

  /** Divert non-keeps to the sinks; pass keeps on to the next stage (counted as received there). */
  async function* divert(stageName: string, outcomes: AsyncIterable<Outcome<unknown>>, feeds: Feed, isRead = false): AsyncGenerator<Keep<unknown>> {
    const counts = counter(stageName);
    for await (const o of outcomes) {
      if (isRead) {
        tally.file(o.ref.source).read++;
        params.onRead?.();
      }
      if (o.kind === 'keep') {
        counts.emitted++;
        if (feeds) feeds.received++;
        yield o;
      } else await divertOne(o, stageName, counts);
    }
  }

  /**
   * Consecutive one-in, one-out stages (mapStage, tapStage) run in one loop: each item goes
   * through them in turn and leaves at the first reject or drop. The same outcomes, counts and sink order as one
   * generator per stage, without an async hop per stage per record.
   */
  async function* fused(group: MapStage[], input: AsyncIterable<Keep<unknown>>, feeds: Feed): AsyncGenerator<Keep<unknown>> {
    const counts = group.map((s) => counter(s.name));
    for await (const item of input) {
      let current: Keep<unknown> | undefined = item;
      for (let k = 0; k < group.length; k++) {
        if (k > 0) counts[k].received++;
        const result = group[k].map(current, ctx);
        const o = result instanceof Promise ? await result : result;
        if (o.kind === 'keep') {
          counts[k].emitted++;
          current = o;
        } else {
          await divertOne(o, group[k].name, counts[k]);
          current = undefined;
          break;
        }
      }
      if (current) {
        if (feeds) feeds.received++;
        yield current;
      }
    }
  }

  // Group the stages: runs of map stages fuse; any other stage runs as its own generator.
  const groups: Array<MapStage[] | Stage<any, any>> = [];
  for (const stage of params.stages) {
    const last = groups[groups.length - 1];
    if (isMapStage(stage) && Array.isArray(last)) last.push(stage);
    else groups.push(isMapStage(stage) ? [stage] : stage);
  }
  const firstCounts = (g: MapStage[] | Stage<any, any> | undefined): Feed => (g === undefined ? undefined : counter(Array.isArray(g) ? g[0].name : g.name));

  let stream: AsyncIterable<Keep<unknown>> = divert('read', params.source, firstCounts(groups[0]), true);
  groups.forEach((g, i) => {
    const feeds = firstCounts(groups[i + 1]);
    stream = Array.isArray(g) ? fused(g, stream, feeds) : divert(g.name, g.run(stream, ctx), feeds);
  });
  for await (const item of stream) {
    note(item.ref.source, item.ref.index, 'kept');
    if (params.onOutput) await params.onOutput(item);
  }
  settle();
  for (const stage of params.stages) await stage.finish?.();

  checkConservation(tally);
  return tally;
}

export function checkConservation(tally: Tally): void {
  const broken: string[] = [];
  for (const [path, b] of tally.files) {
    const accounted = b.kept + b.rejected + b.dropped;
    if (accounted !== b.read) {
      broken.push(`${path}: read ${b.read} but kept ${b.kept} + rejected ${b.rejected} + dropped ${b.dropped} = ${accounted}`);
    }
  }
  if (broken.length) {
    throw new ConservationError(`records were lost or double-counted:\n  ${broken.join('\n  ')}`);
  }
}
