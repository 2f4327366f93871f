import { join } from 'node:path';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { Conversation } from '../../schemas/chatml.js';
import type { Dropped, Keep, Outcome, Rejected, SourceRef, Stage, StageContext } from '../types.js';
import type { InputSpec } from '../ingest.js';
import { runPipeline } from '../run.js';
import { refKey, tapStage } from '../stage.js';
import { Tally } from '../tally.js';
import { toDropRecord, toRejectRecord } from '../sinks.js';
import { JsonlWriter } from '../jsonl-writer.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { buildChain, limitsOf, type Chain } from './chain.js';
import { writeUnitCuration } from './curation-parts.js';
import { notingTokenizers, type TokenizerIdentity } from './tokenizer-identity.js';
import { readUnit, unitLocator } from './read-unit.js';
import { unitDir, type RunJson } from './run-dir.js';
import { addTally, tallyToJson, type TallyJson } from './tally-io.js';
import { traceFile, type TraceLine } from './trace.js';
import type { WorkUnit } from './work-units.js';

/** What one rank's map phase hands on: its counts (final for everything decided before the first global stage). */
export interface MapRankResult {
  tally: TallyJson;
  /** Per dataset: over-length records tokenize met before the first global stage (final). */
  overLength: Record<string, number>;
  records: number;
  /** Per dataset: the tokenizers its tokenize entries loaded, for decide and merge (which do not load them). */
  tokenizers: Record<string, TokenizerIdentity[]>;
}

export const REJECTS_PART = 'rejects.jsonl';
export const DROPPED_PART = 'dropped.jsonl';
export const mapRankFile = (runDir: string, rank: number): string => join(runDir, 'data', 'map', `rank-${String(rank).padStart(5, '0')}.json`);
export const partFile = (dataset: string, what: string): string => `${encodeURIComponent(dataset)}.${what}`;

interface Entry {
  ref: SourceRef;
  unit: WorkUnit;
  value: unknown;
  done: boolean;
  kept?: boolean;
  end?: { k: number; o: Rejected | Dropped };
  warns?: [number, string][];
  over?: boolean;
}

const TRACE_TAP = '\u0000trace';

/**
 * The map phase of one rank: run each dataset's chain over the rank's work units. Stages before the first
 * global one act for real: their rejects and drops are final and go to the unit's part files. From the first
 * global stage on, global stages let everything through and the record stages after them run provisionally:
 * each record's outcome, warnings and value go to the unit's trace, for decide to replay in input order.
 */
export async function mapRank(o: { run: RunJson; runDir: string; pipeline: Pipeline; specs: Map<string, Map<string, InputSpec>>; rank: number }): Promise<MapRankResult> {
  const rankTally = new Tally();
  const overLength: Record<string, number> = {};
  let records = 0;
  const tokenizers: Record<string, TokenizerIdentity[]> = {};
  for (const [name, dataset] of Object.entries(o.pipeline.datasets)) {
    const units = o.run.units.filter((u) => u.dataset === name);
    const mine = units.filter((u) => u.rank === o.rank);
    if (!mine.length) continue;
    // One tally per dataset: the runner checks conservation over its whole tally, and this one's provisional counts are taken back below.
    const tally = new Tally();
    const locate = unitLocator(units);
    const entries = new Map<string, Entry>();
    const byValue = new WeakMap<object, Entry>();
    overLength[name] = 0;
    const scratch = join(unitDir(o.runDir, 'map', `scratch-${o.rank}`), encodeURIComponent(name));
    const chain = await buildChain({
      pipeline: o.pipeline,
      name,
      dataset,
      specFor: o.specs.get(name)!,
      // Observers are built but never run in map: their outputs would land here.
      place: (p) => join(scratch, encodeURIComponent(p)),
      exports: { dir: join(scratch, 'dataset'), results: [] },
      how: {
        onOverLength: (conv: Conversation) => {
          const e = byValue.get(conv);
          if (e) e.over = true;
          else overLength[name]++;
        },
        tokenizing: notingTokenizers((tokenizers[name] = [])),
      },
    });
    const g = chain.firstGlobal ?? chain.firstObserver;
    const provisional = chain.firstGlobal !== undefined;
    // Curation reports per unit: merge adds them up in input order.
    chain.sft?.curation.splitBy((ref) => locate(ref.source, ref.index).id);

    const writers = new Map<number, { trace: JsonlWriter; rejects: JsonlWriter; dropped: JsonlWriter }>();
    for (const u of mine) {
      const dir = unitDir(o.runDir, 'map', u.id);
      writers.set(u.id, { trace: new JsonlWriter(join(dir, traceFile(name))), rejects: new JsonlWriter(join(dir, partFile(name, REJECTS_PART))), dropped: new JsonlWriter(join(dir, partFile(name, DROPPED_PART))) });
    }
    const queue: Entry[] = [];
    let head = 0;
    const subtract = { kept: new Map<string, number>(), rejected: new Map<string, number>(), dropped: new Map<string, number>(), reasons: new Map<string, number>(), dropReasons: new Map<string, number>() };
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const flush = async () => {
      while (head < queue.length && queue[head].done) {
        const e = queue[head];
        queue[head++] = undefined as never;
        const line: TraceLine = { i: e.ref.index, ...(e.ref.line ? { l: e.ref.line } : {}), v: e.value };
        if (e.kept) line.k = 1;
        if (e.end) line.e = e.end;
        if (e.warns) line.w = e.warns;
        if (e.over) line.x = 1;
        await writers.get(e.unit.id)!.trace.write(line);
        if (provisional) {
          entries.delete(refKey(e.ref));
          if (typeof e.value === 'object' && e.value) byValue.delete(e.value);
          // The runner counted this record's provisional fate; decide counts the real one.
          if (e.kept) bump(subtract.kept, e.ref.source);
          else if (e.end?.o.kind === 'reject') {
            bump(subtract.rejected, e.ref.source);
            bump(subtract.reasons, e.end.o.reason);
          } else if (e.end) {
            bump(subtract.dropped, e.ref.source);
            bump(subtract.dropReasons, e.end.o.reason);
          }
        }
      }
      if (head > 4096 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
    };
    const entryOf = (ref: SourceRef) => entries.get(refKey(ref));

    const stages: Stage<any, any>[] = [];
    for (let i = 0; i < chain.firstObserver; i++) {
      if (i === g) stages.push(traceTap());
      if (i < g) stages.push(chain.stages[i]);
      else if (chain.kinds[i] === 'global') stages.push(passThrough(chain.stages[i].name));
      else stages.push(provisionalStage(chain.stages[i], i));
    }
    if (g === chain.firstObserver) stages.push(traceTap());

    function traceTap(): Stage<any, any> {
      return tapStage(TRACE_TAP, async (item: Keep<unknown>) => {
        records++;
        const e: Entry = { ref: item.ref, unit: locate(item.ref.source, item.ref.index), value: item.value, done: !provisional, kept: !provisional || undefined };
        queue.push(e);
        if (provisional) {
          entries.set(refKey(item.ref), e);
          if (typeof item.value === 'object' && item.value) byValue.set(item.value, e);
        } else await flush();
      });
    }
    function provisionalStage(stage: Stage<any, any>, k: number): Stage<any, any> {
      return {
        name: stage.name,
        async *run(input, ctx) {
          const quiet: StageContext = {
            warn: (code, ref) => {
              const e = entryOf(ref);
              if (!e) return ctx.warn(code, ref);
              (e.warns ??= []).push([k, code]);
            },
            noteFormat: (ref, f) => ctx.noteFormat(ref, f),
          };
          async function* feed(): AsyncGenerator<Keep<unknown>> {
            for await (const item of input) {
              const e = entryOf(item.ref);
              if (e) {
                e.value = item.value;
                if (typeof item.value === 'object' && item.value) byValue.set(item.value, e);
              }
              yield item;
            }
          }
          for await (const out of stage.run(feed(), quiet) as AsyncIterable<Outcome<unknown>>) {
            if (out.kind !== 'keep') {
              const e = entryOf(out.ref);
              if (e) e.end = { k, o: out };
            }
            yield out;
          }
        },
        finish: stage.finish?.bind(stage),
      };
    }

    async function* source(): AsyncGenerator<Outcome<unknown>> {
      for (const u of mine) {
        tally.file(u.path);
        yield* readUnit(u, limitsOf(o.pipeline));
      }
    }
    const done = async (ref: SourceRef) => {
      const e = entryOf(ref);
      if (!e) return false;
      e.done = true;
      await flush();
      return true;
    };
    await runPipeline({
      source: source(),
      stages,
      tally,
      label: name,
      sinks: {
        reject: async (r, stage) => {
          if (!(await done(r.ref))) await writers.get(locate(r.ref.source, r.ref.index).id)!.rejects.write(toRejectRecord(r, stage));
        },
        drop: async (d, stage) => {
          if (!(await done(d.ref))) await writers.get(locate(d.ref.source, d.ref.index).id)!.dropped.write(toDropRecord(d, stage));
        },
      },
      onOutput: async (item) => {
        const e = entryOf(item.ref);
        if (!e) return;
        e.value = item.value;
        e.kept = true;
        await done(item.ref);
      },
    });
    await flush();
    if (head !== queue.length) throw new Error(`map: ${queue.length - head} records of dataset ${name} never finished (a stage lost them)`);
    for (const w of writers.values()) {
      await w.trace.close();
      await w.rejects.close();
      await w.dropped.close();
    }
    await writeUnitCuration({ runDir: o.runDir, chain, units: mine, before: g });
    if (provisional) {
      for (const [fate, m] of [['kept', subtract.kept], ['rejected', subtract.rejected], ['dropped', subtract.dropped]] as const) {
        for (const [src, n] of m) tally.file(src)[fate] -= n;
      }
      for (const [r, n] of subtract.reasons) if (!(tally.reasons[r] -= n)) delete tally.reasons[r];
      for (const [r, n] of subtract.dropReasons) if (!(tally.dropReasons[r] -= n)) delete tally.dropReasons[r];
    }
    // Counters from the first global stage on are the replay's (decide) and the observers' (merge).
    tally.stages.delete(`${name}/${TRACE_TAP}`);
    for (let i = g; i < chain.stages.length; i++) if (!chain.stages.slice(0, g).some((s) => s.name === chain.stages[i].name)) tally.stages.delete(`${name}/${chain.stages[i].name}`);
    addTally(rankTally, tallyToJson(tally));
  }
  const result: MapRankResult = { tally: tallyToJson(rankTally), overLength, records, tokenizers };
  await writeFileAtomic(mapRankFile(o.runDir, o.rank), JSON.stringify(result));
  return result;
}

/** A global stage in map: everything passes; decide makes its decision. */
function passThrough(name: string): Stage<any, any> {
  return {
    name,
    async *run(input) {
      yield* input;
    },
  };
}

export type { Chain };
