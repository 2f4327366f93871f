import type { Summary } from '../tally.js';
import { runIngest, type IngestParams } from '../ingest.js';
import { JsonlWriter } from '../jsonl-writer.js';
import { UsageError } from '../types.js';
import { pairsStage, type PairRecord } from './stage.js';
import { PairStatsCollector, type PairStats } from './stats.js';
import type { TokenCounter } from './build.js';
import type { Aggregate, PairOptions, StrategyName } from './types.js';

export interface RunPairsParams extends Partial<PairOptions> {
  inputs: string[];
  out: string;
  /** Where KTO records go when they stay unpaired; default `<out>` with `.unpaired.jsonl`. */
  unpairedOut?: string;
  rejectsPath?: string;
  droppedPath?: string;
  /** Where the caller will write the pair statistics (checked against the inputs with the other outputs). */
  statsPath?: string;
  tokens?: TokenCounter;
  /** Told about every record read (drives a progress display). */
  onRead?: () => void;
  /** Told about every reject as it happens (`--verbose`). */
  onReject?: IngestParams['onReject'];
}

export type PairsSummary = Summary & { pairs: number; unpaired: number; pair_stats: PairStats; file_faults: Record<string, number> };

const STRATEGIES: StrategyName[] = ['best-worst', 'best-random', 'all-pairs'];
const AGGREGATES: Aggregate[] = ['mean', 'min', 'max', 'overall'];

/** Check options a user typed; bad ones are usage errors (exit 2), not crashes. */
export function checkPairOptions(o: Partial<PairOptions>): void {
  if (o.strategy !== undefined && !STRATEGIES.includes(o.strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}`);
  if (o.aggregate !== undefined && !AGGREGATES.includes(o.aggregate)) throw new UsageError(`--aggregate must be one of ${AGGREGATES.join(', ')}`);
  if (o.minMargin !== undefined && !(Number.isFinite(o.minMargin) && o.minMargin >= 0)) throw new UsageError('--min-margin must be a number >= 0');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new UsageError('--seed must be an integer');
  if (o.kto !== undefined && o.kto !== 'paired' && o.kto !== 'unpaired') throw new UsageError('--kto must be paired or unpaired');
}

const unpairedPathFor = (out: string) => (out === '-' ? '-' : out.replace(/(\.jsonl)?$/, '.unpaired.jsonl'));

/** `chatmill pairs`: read preference data in any shape, write TRL conversational pairs. */
export async function runPairsCommand(p: RunPairsParams): Promise<PairsSummary> {
  checkPairOptions(p);
  const pairsOut = new JsonlWriter(p.out);
  const unpairedPath = p.unpairedOut ?? unpairedPathFor(p.out);
  let unpairedOut: JsonlWriter | undefined;
  const stats = new PairStatsCollector();
  let ok = false;
  try {
    const tally = await runIngest({
      inputs: p.inputs,
      outputs: [
        { path: p.out, what: '-o' },
        { path: unpairedPath, what: p.unpairedOut ? '--unpaired' : 'the unpaired KTO file' },
        ...(p.statsPath ? [{ path: p.statsPath, what: '--stats' }] : []),
      ],
      recordStages: [pairsStage({ ...p, tokens: p.tokens })],
      rejectsPath: p.rejectsPath,
      droppedPath: p.droppedPath,
      onRead: p.onRead,
      onReject: p.onReject,
      onOutput: async (item) => {
        const rec = item.value as PairRecord;
        stats.add(rec);
        if ('chosen' in rec) return pairsOut.write(rec);
        unpairedOut ??= new JsonlWriter(unpairedPath);
        return unpairedOut.write(rec);
      },
    });
    const pair_stats = stats.result();
    ok = true;
    return { ...tally.summary(), pairs: pair_stats.pairs, unpaired: pair_stats.unpaired, pair_stats, file_faults: tally.fileFaults() };
  } finally {
    // Each output appears whole on success; a failed run leaves the previous files as they were.
    for (const w of [pairsOut, unpairedOut]) await (ok ? w?.close() : w?.abort());
  }
}
