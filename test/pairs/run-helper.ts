import { readInputs } from '../../src/read/index.js';
import { runPipeline } from '../../src/run.js';
import { parseStage } from '../../src/stages/parse.js';
import type { Dropped, Rejected } from '../../src/types.js';
import { pairsStage, type PairRecord, type PairsStageOptions } from '../../src/pairs/stage.js';

export const REALDATA = new URL('../../../shared/realdata/', import.meta.url).pathname;


export interface PairsRun {
  out: PairRecord[];
  rejects: Array<Rejected & { stage: string }>;
  drops: Array<Dropped & { stage: string }>;
  tally: Awaited<ReturnType<typeof runPipeline>>;
}

/** Read files, parse, pair; conservation is checked by runPipeline itself. */
export async function runPairs(files: string[], opts: PairsStageOptions = {}): Promise<PairsRun> {
  const out: PairRecord[] = [];
  const rejects: PairsRun['rejects'] = [];
  const drops: PairsRun['drops'] = [];
  const tally = await runPipeline({
    source: readInputs(files),
    stages: [parseStage(), pairsStage(opts)],
    sinks: { reject: (r, stage) => void rejects.push({ ...r, stage }), drop: (d, stage) => void drops.push({ ...d, stage }) },
    onOutput: (item) => void out.push(item.value as PairRecord),
  });
  return { out, rejects, drops, tally };
}

export const countBy = (items: Array<{ reason: string }>): Record<string, number> => {
  const m: Record<string, number> = {};
  for (const i of items) m[i.reason] = (m[i.reason] ?? 0) + 1;
  return m;
};
