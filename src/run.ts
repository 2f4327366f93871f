import type { Dropped, Keep, Outcome, Rejected, Stage, StageContext } from './types.js';
import { ConservationError } from './types.js';
import { refKey } from './stage.js';
import { Tally } from './tally.js';

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

  let openKey: string | undefined;
  let openSource = '';
  let openFates = new Set<Fate>();
  const settle = () => {
    if (openKey === undefined) return;
    const book = tally.file(openSource);
    if (openFates.has('kept')) book.kept++;
    else if (openFates.has('rejected')) book.rejected++;
    else book.dropped++;
    openKey = undefined;
    openFates = new Set();
  };
  const note = (source: string, index: number, fate: Fate) => {
    const key = refKey({ source, index });
    if (key !== openKey) {
      settle();
      openKey = key;
      openSource = source;
    }
    openFates.add(fate);
  };

  // Divert non-keeps to the sinks; pass keeps to the next stage.
  const counter = (stageName: string) => tally.stage(params.label ? `${params.label}/${stageName}` : stageName);
  // Create the counters in pipeline order so summaries list stages as they run.
  for (const name of ['read', ...params.stages.map((s) => s.name)]) counter(name);

  async function* divert(stageName: string, outcomes: AsyncIterable<Outcome<unknown>>): AsyncGenerator<Keep<unknown>> {
    const counts = counter(stageName);
    for await (const o of outcomes) {
      if (o.kind === 'keep') {
        counts.emitted++;
        yield o;
      } else if (o.kind === 'reject') {
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
    }
  }

  async function* countReads(source: AsyncIterable<Outcome<unknown>>): AsyncGenerator<Outcome<unknown>> {
    for await (const o of source) {
      tally.file(o.ref.source).read++;
      params.onRead?.();
      yield o;
    }
  }

  async function* countReceived(stageName: string, input: AsyncIterable<Keep<unknown>>): AsyncGenerator<Keep<unknown>> {
    const counts = counter(stageName);
    for await (const item of input) {
      counts.received++;
      yield item;
    }
  }

  let stream: AsyncIterable<Keep<unknown>> = divert('read', countReads(params.source));
  for (const stage of params.stages) {
    stream = divert(stage.name, stage.run(countReceived(stage.name, stream), ctx));
  }
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
