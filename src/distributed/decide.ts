import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { MixReport } from '../mix/stage.js';
import type { InputSpec } from '../ingest.js';
import type { Keep, Outcome, Stage } from '../types.js';
import { keep } from '../types.js';
import { runPipeline } from '../run.js';
import { Tally } from '../tally.js';
import { toDropRecord, toRejectRecord } from '../sinks.js';
import { JsonlWriter } from '../jsonl-writer.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { buildChain } from './chain.js';
import { chainCuration, type CurationAt } from './curation-parts.js';
import { ownJsonlLines } from './jsonl-read.js';
import { unitLocator } from './read-unit.js';
import { DROPPED_PART, REJECTS_PART, mapRankFile, partFile, type MapRankResult } from './map.js';
import { standInTokenizers } from './tokenizer-identity.js';
import { unitDir, type RunJson } from './run-dir.js';
import { tallyToJson, type TallyJson } from './tally-io.js';
import { traceFile, type TraceLine } from './trace.js';

/** What decide hands to apply and merge for one dataset. */
export interface DecideResult {
  tally: TallyJson;
  /** Over-length records tokenize met after the first global stage, among those that reached it. */
  overLength: number;
  mix?: MixReport;
  /** The reports of the curation stages from the first global stage on (the earlier ones are per unit, from map). */
  curation: CurationAt[];
}

export const timesFile = (dataset: string): string => `${encodeURIComponent(dataset)}.times.json`;
export const decideResultFile = (runDir: string, dataset: string): string => join(unitDir(runDir, 'decide', 'datasets'), `${encodeURIComponent(dataset)}.json`);
export const decidePlace = (runDir: string, dataset: string) => (p: string) => join(unitDir(runDir, 'decide', 'datasets'), encodeURIComponent(dataset), encodeURIComponent(p));

/**
 * The decide phase: for each dataset with global stages, replay its chain from the first global stage on,
 * over every rank's trace in input order. Global stages (dedup, near_dedup, mix) run for real on the
 * records that reach them, exactly as in one process; record stages give back the outcome and warnings
 * each record had in map. So every decision and every count is the single-process one. Written per unit:
 * how many times each traced record is kept (0 = not kept; more than 1 = mix repeats), and the rejects and
 * drops from the first global stage on.
 */
export async function decideRun(o: { run: RunJson; runDir: string; pipeline: Pipeline; specs: Map<string, Map<string, InputSpec>> }): Promise<void> {
  for (const [name, dataset] of Object.entries(o.pipeline.datasets)) {
    const units = o.run.units.filter((u) => u.dataset === name);
    const place = decidePlace(o.runDir, name);
    let mix: MixReport | undefined;
    // Any rank that read the dataset noted its tokenizers; decide replays counts and loads none.
    const reader = units[0]?.rank;
    const noted = reader === undefined ? undefined : (JSON.parse(await readFile(mapRankFile(o.runDir, reader), 'utf8')) as MapRankResult).tokenizers?.[name];
    const how = { workers: 1, namesOnly: true, tokenizing: standInTokenizers(name, noted) };
    const chain = await buildChain({ pipeline: o.pipeline, name, dataset, specFor: o.specs.get(name)!, place, exports: { dir: place('dataset'), results: [] }, how });
    const g = chain.firstGlobal;
    if (g === undefined) continue;
    const locate = unitLocator(units);
    const times = new Map<number, number[]>();
    const side = new Map<string, TraceLine>();
    const writers = new Map<number, { rejects: JsonlWriter; dropped: JsonlWriter }>();
    for (const u of units) {
      const dir = unitDir(o.runDir, 'decide', u.id);
      writers.set(u.id, { rejects: new JsonlWriter(join(dir, partFile(name, REJECTS_PART))), dropped: new JsonlWriter(join(dir, partFile(name, DROPPED_PART))) });
    }
    const tokenizeAt = chain.stages.findIndex((s, i) => i >= g && s.name === 'tokenize');
    let overLength = 0;

    async function* source(): AsyncGenerator<Outcome<unknown>> {
      for (const u of units) {
        const counts: number[] = [];
        times.set(u.id, counts);
        for await (const text of ownJsonlLines(join(unitDir(o.runDir, 'map', u.id), traceFile(name)))) {
          const line = JSON.parse(text) as TraceLine;
          const raw = `${u.id}:${counts.length}`;
          counts.push(0);
          if (line.e || line.w || line.x) side.set(raw, { ...line, v: undefined });
          yield keep({ source: u.path, index: line.i, ...(line.l ? { line: line.l } : {}) }, line.v, raw);
        }
      }
    }
    const replay = (stage: Stage<any, any>, k: number): Stage<any, any> => ({
      name: stage.name,
      async *run(input, ctx) {
        for await (const item of input as AsyncIterable<Keep<unknown>>) {
          const s = side.get(item.raw);
          if (s) {
            for (const [at, code] of s.w ?? []) if (at === k) ctx.warn(code, item.ref);
            if (s.x && k === tokenizeAt) overLength++;
            if (s.e?.k === k) {
              yield s.e.o;
              continue;
            }
          }
          yield item;
        }
      },
    });
    const stages: Stage<any, any>[] = [];
    const log = chain.sft?.curation;
    for (let k = g; k < chain.firstObserver; k++) {
      if (chain.kinds[k] === 'global') stages.push(chain.stages[k]);
      // A curation stage's replay counts into its report: outcomes and warnings as map saw them, in input order.
      else if (log?.reportOf(chain.stages[k])) stages.push(log.rewatch(chain.stages[k], replay(chain.stages[k], k)));
      else stages.push(replay(chain.stages[k], k));
    }
    const tally = new Tally();
    await runPipeline({
      source: source(),
      stages,
      tally,
      label: name,
      sinks: {
        reject: (r, stage) => writers.get(locate(r.ref.source, r.ref.index).id)!.rejects.write(toRejectRecord(r, stage)),
        drop: (d, stage) => writers.get(locate(d.ref.source, d.ref.index).id)!.dropped.write(toDropRecord(d, stage)),
      },
      onOutput: (item) => {
        const [u, i] = item.raw.split(':').map(Number);
        times.get(u)![i]++;
      },
    });
    // The mix stage hands its report to the build once it has decided (for the card).
    mix = chain.sft ? chain.sft.mix : chain.preferenceMix?.();
    for (const w of writers.values()) {
      await w.rejects.close();
      await w.dropped.close();
    }
    for (const u of units) await writeFileAtomic(join(unitDir(o.runDir, 'decide', u.id), timesFile(name)), JSON.stringify(times.get(u.id) ?? []));
    // Reads were counted by map; the replay's source is not a read.
    tally.stages.delete(`${name}/read`);
    for (const b of tally.files.values()) b.read = 0;
    const result: DecideResult = { tally: tallyToJson(tally), overLength, mix, curation: chainCuration(chain).filter((c) => c.at >= g) };
    await writeFileAtomic(decideResultFile(o.runDir, name), JSON.stringify(result));
  }
}
