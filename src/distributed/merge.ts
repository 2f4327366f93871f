import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, posix } from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { shardName, type SplitResult } from '../export/shard-writer.js';
import { JsonlWriter } from '../jsonl-writer.js';
import { checkConservation } from '../run.js';
import { Tally } from '../tally.js';
import type { Keep } from '../types.js';
import { UsageError } from '../types.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import { datasetDir, type DatasetExports } from '../pipeline/exports.js';
import { joinOut, loadPipeline } from '../pipeline/load.js';
import { DROPPED_FILE, REJECTS_FILE, mixReportFile, pairStatsFile } from '../pipeline/planned-outputs.js';
import { writeRunEnd, type RunEnd, type RunFileResult } from '../pipeline/run-file.js';
import { RunStaging } from '../pipeline/staging.js';
import { applyDatasetDir, applyResultFile, keptItems, writePart, type ApplyResult } from './apply.js';
import { buildChain } from './chain.js';
import { mergedCuration } from './curation-parts.js';
import { standInTokenizers } from './tokenizer-identity.js';
import { decidePlace, decideResultFile, type DecideResult } from './decide.js';
import { ownJsonlLines } from './jsonl-read.js';
import { DROPPED_PART, REJECTS_PART, mapRankFile, partFile, type MapRankResult } from './map.js';
import { datasetFiles, exists, markerPath, readRunJson, unitDir, type Phase, type RunJson } from './run-dir.js';
import { addTally } from './tally-io.js';

/** Ranks of a phase without a completion marker (decide is one task: rank 0). */
export async function incompleteRanks(runDir: string, run: RunJson, phase: Phase): Promise<number[]> {
  const ranks = phase === 'decide' ? [0] : [...Array(run.worldSize).keys()];
  const missing: number[] = [];
  for (const r of ranks) if (!(await exists(markerPath(runDir, phase, r, 'completions')))) missing.push(r);
  return missing;
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

/** A unit's rejects (or drops) from map and from decide, merged by record index: input order. */
async function mergedParts(paths: string[]): Promise<unknown[]> {
  const rows: { index: number; order: number; row: unknown }[] = [];
  for (const p of paths) {
    if (!(await exists(p))) continue;
    for await (const text of ownJsonlLines(p)) {
      const row = JSON.parse(text) as { index: number };
      rows.push({ index: row.index, order: rows.length, row });
    }
  }
  return rows.sort((a, b) => a.index - b.index || a.order - b.order).map((r) => r.row);
}

/** Put a shard from the run directory into the dataset: a hard link (the run directory stays whole, so merge can run again), a copy across file systems. */
async function placeShard(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
  }
}

/**
 * `chatmill merge RUN_DIR`: once every rank of every phase has finished, write the `<out>/` a single-process
 * run writes: rejects and drops in input order, write-stage JSONL, one dataset (every unit's shards renamed
 * `{split}-i-of-N` in input order), one audit and card, summary.json with the whole run's counts, promoted
 * through staging like a single-process run (summary.json last).
 */
export async function mergeRun(o: { runDir: string; repoId?: string }): Promise<RunFileResult> {
  const run = await readRunJson(o.runDir);
  if (!run) throw new UsageError(`${o.runDir} holds no run.json: not a run directory (run \`chatmill run PIPELINE --phase map\` or \`chatmill launch\` first)`);
  const missing: string[] = [];
  for (const phase of ['map', 'decide', 'apply'] as const) {
    const ranks = await incompleteRanks(o.runDir, run, phase);
    if (ranks.length) missing.push(`${phase}: rank${ranks.length > 1 ? 's' : ''} ${ranks.join(', ')}`);
  }
  if (missing.length) throw new UsageError(`cannot merge ${o.runDir}: phases not complete (${missing.join('; ')}); run them, then merge`);
  const { pipeline, text } = await loadPipeline(run.pipeline.path);
  const out = run.out;

  const staging = await RunStaging.open(out);
  const place = (p: string) => staging.file(joinOut(out, p));
  const exports: DatasetExports = { dir: staging.folder(datasetDir(out)), results: [] };
  const tally = new Tally();
  const pending: RunEnd['pending'] = [];
  const builds: RunEnd['builds'] = [];
  const pairs: RunFileResult['pairs'] = [];
  const preferenceMixes: NonNullable<RunEnd['preferenceMixes']> = [];
  const rejects = new JsonlWriter(place(REJECTS_FILE));
  const dropped = new JsonlWriter(place(DROPPED_FILE));
  try {
    const specs = await datasetFiles(pipeline);
    for (const d of specs) for (const f of d.files) tally.file(f);
    const mapResults: MapRankResult[] = [];
    for (let r = 0; r < run.worldSize; r++) mapResults.push(await readJson<MapRankResult>(mapRankFile(o.runDir, r)));

    // Counters first, in pipeline order (as one process creates them), then every rank's counts.
    const chains = [];
    for (const d of specs) {
      // The audit needs the tokenizers' names and hashes, which map noted; merge only replays counts and loads none.
      const noted = mapResults.find((m) => m.tokenizers?.[d.name])?.tokenizers[d.name];
      const how = { workers: 1, namesOnly: true, tokenizing: standInTokenizers(d.name, noted) };
      const chain = await buildChain({ pipeline, name: d.name, dataset: pipeline.datasets[d.name], specFor: d.specFor, place, exports, how });
      for (const n of chain.counterNames) tally.stage(`${d.name}/${n}`);
      chains.push(chain);
    }
    for (const m of mapResults) addTally(tally, m.tally);

    for (const chain of chains) {
      const name = chain.name;
      const units = run.units.filter((u) => u.dataset === name);
      const decided = chain.firstGlobal !== undefined;
      const decision = decided ? await readJson<DecideResult>(decideResultFile(o.runDir, name)) : undefined;
      if (decision) addTally(tally, decision.tally);

      // Rejects and drops, unit by unit in input order.
      for (const u of units) {
        const parts = (what: string) => [join(unitDir(o.runDir, 'map', u.id), partFile(name, what)), join(unitDir(o.runDir, 'decide', u.id), partFile(name, what))];
        for (const row of await mergedParts(parts(REJECTS_PART))) await rejects.write(row);
        for (const row of await mergedParts(parts(DROPPED_PART))) await dropped.write(row);
      }

      // Write-stage JSONL: the units' parts, concatenated in input order.
      for (const [i, entry] of pipeline.datasets[name].stages.entries()) {
        if (!('write' in entry) || !entry.write) continue;
        const target = place(entry.write.path);
        await mkdir(dirname(target), { recursive: true });
        const sink = createWriteStream(target);
        for (const u of units) await pipe(createReadStream(join(unitDir(o.runDir, 'apply', u.id), encodeURIComponent(name), writePart(i))), sink, { end: false });
        sink.end();
        await once(sink, 'finish');
      }

      // Shards: every unit's, in input order, renamed as one split.
      let items = 0;
      const splits = new Map<string, { result: SplitResult; from: string[]; empty: string }>();
      for (const u of units) {
        const applied = await readJson<ApplyResult>(join(unitDir(o.runDir, 'apply', u.id), encodeURIComponent(name), applyResultFile(name)));
        items += applied.items;
        for (const r of applied.exports) {
          const key = `${r.config}\u0000${r.split}`;
          const s = splits.get(key) ?? { result: { ...r, numRows: 0, numBytes: 0, files: [] }, from: [], empty: join(applyDatasetDir(o.runDir, u.id, name), r.files[0].path) };
          splits.set(key, s);
          for (const f of r.files) {
            if (!f.rows) continue;
            s.result.files.push({ ...f });
            s.from.push(join(applyDatasetDir(o.runDir, u.id, name), f.path));
          }
          s.result.numRows += r.numRows;
          s.result.numBytes += r.numBytes;
        }
      }
      for (const { result, from, empty } of splits.values()) {
        if (!result.files.length) {
          // Nothing reached this split anywhere: one empty shard (the schema, no rows), as a single-process run writes.
          result.files.push({ path: '', rows: 0, bytes: 0 });
          from.push(empty);
        }
        const n = result.files.length;
        for (let i = 0; i < n; i++) {
          const path = posix.join('data', result.config, shardName(result.split, i, n));
          await placeShard(from[i], join(exports.dir, path));
          result.files[i].path = path;
        }
        exports.results.push(result);
      }

      // Observer counters: every kept item passed each of them once.
      for (const [k, kind] of chain.kinds.entries()) {
        if (kind !== 'observer') continue;
        const c = tally.stage(`${name}/${chain.stages[k].name}`);
        c.received += items;
        c.emitted += items;
      }

      // The audit and pair statistics, from the kept items in input order (what their taps see in one process).
      const counting = chain.stages.filter((s, k) => chain.kinds[k] === 'observer' && (s.name === 'audit' || s.name === 'pair-stats'));
      if (counting.length) {
        const ctx = { warn: () => undefined, noteFormat: () => undefined };
        for (const u of units) {
          let stream: AsyncIterable<Keep<unknown>> = keptItems(o.runDir, u, name, decided);
          for (const s of counting) stream = s.run(stream, ctx) as AsyncIterable<Keep<unknown>>;
          for await (const _ of stream);
        }
      }
      // The mix report file, written by decide's mix stage, and the report for the card and audit.
      if (decision?.mix) await writeFileAtomic(place(mixReportFile(name)), await readFile(decidePlace(o.runDir, name)(mixReportFile(name)), 'utf8'));
      if (decision?.mix && chain.kind === 'preference') preferenceMixes.push({ dataset: name, report: decision.mix });
      if (chain.sft) {
        const overLength = mapResults.reduce((n, m) => n + (m.overLength[name] ?? 0), 0) + (decision?.overLength ?? 0);
        for (const acc of new Set(chain.sft.audits.map((a) => a.accumulator))) for (let i = 0; i < overLength; i++) acc.noteOverLength();
        if (decision?.mix) chain.sft.mix = decision.mix;
        for (const a of chain.sft.audits) pending.push({ ...a, dataset: name });
        const curation = await mergedCuration({ runDir: o.runDir, merged: chain, units, decided: decision?.curation });
        builds.push({ dataset: name, build: { mix: chain.sft.mix, curation } });
      }
      if (chain.pairStats) {
        const stats = chain.pairStats.result();
        await writeFileAtomic(place(pairStatsFile(name)), `${JSON.stringify(stats, null, 2)}\n`);
        pairs.push({ dataset: name, stats });
      }
    }
    await rejects.close();
    await dropped.close();
    checkConservation(tally);
    const inputs = exports.results.length ? run.inputs.map((i) => ({ path: i.path, sha256: i.sha256 })) : [];
    const audits = await writeRunEnd({ pipeline, pipelinePath: run.pipeline.path, pipelineText: text, out, place, tally, pending, builds, preferenceMixes, pairs, exports, inputs, repoId: o.repoId });
    await staging.cleanOutside();
    await staging.promote();
    return { pipeline, tally, out, datasetDir: exports.results.length ? datasetDir(out) : undefined, audits, pairs };
  } catch (err) {
    await rejects.abort().catch(() => undefined);
    await dropped.abort().catch(() => undefined);
    await staging.discard().catch(() => undefined);
    if (err instanceof Error) err.message += `\n(the merge failed, so none of its outputs were kept: the previous files in ${out} are untouched)`;
    throw err;
  }
}
