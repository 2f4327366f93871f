import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CurationLog, combineReports, type CurationStageReport } from '../checks/curation-log.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import type { Chain } from './chain.js';
import { exists, unitDir } from './run-dir.js';
import type { WorkUnit } from './work-units.js';

/**
 * The Curation section across ranks. A curation stage before a dataset's first global stage runs for real in
 * map, so each unit's counts and examples are final there and go to the unit's `<dataset>.curation.json`; a
 * curation stage from the first global stage on (dedup, near_dedup, and any record stage after them) runs in
 * decide, in input order, and its report goes to decide's result. merge combines the units' reports in input
 * order and takes decide's as they are: the reports one process would have made.
 */
export interface CurationAt {
  /** The stage's index in the dataset's chain (src/distributed/chain.ts). */
  at: number;
  report: CurationStageReport;
}

export const curationFile = (dataset: string): string => `${encodeURIComponent(dataset)}.curation.json`;

/** The chain's curation stages, in pipeline order, with the report each counts into in this process. */
export function chainCuration(chain: Chain): CurationAt[] {
  const log = chain.sft?.curation;
  if (!log) return [];
  const out: CurationAt[] = [];
  for (const [at, stage] of chain.stages.entries()) {
    const report = log.reportOf(stage);
    if (report) out.push({ at, report });
  }
  return out;
}

/** Map: each unit's reports of the curation stages before `before` (the first global stage), written atomically. */
export async function writeUnitCuration(o: { runDir: string; chain: Chain; units: WorkUnit[]; before: number }): Promise<void> {
  const log = o.chain.sft?.curation;
  if (!log) return;
  const final = chainCuration(o.chain).filter((c) => c.at < o.before);
  for (const u of o.units) {
    const parts = log.partReports(u.id);
    const rows: CurationAt[] = final.map((c) => ({ at: c.at, report: parts[log.stages.indexOf(c.report)] }));
    await writeFileAtomic(join(unitDir(o.runDir, 'map', u.id), curationFile(o.chain.name)), JSON.stringify(rows));
  }
}

/**
 * Merge: the dataset's whole curation log. `merged` is merge's own chain (built for names and settings only),
 * `decided` decide's reports (stages from the first global one on).
 */
export async function mergedCuration(o: { runDir: string; merged: Chain; units: WorkUnit[]; decided?: CurationAt[] }): Promise<CurationLog | undefined> {
  if (!o.merged.sft) return undefined;
  const perUnit: CurationAt[][] = [];
  for (const u of o.units) {
    const path = join(unitDir(o.runDir, 'map', u.id), curationFile(o.merged.name));
    // A run directory from before curation reports were persisted has none: refuse rather than print zeros.
    if (!(await exists(path))) throw new Error(`merge: ${path} is missing (a run directory from an older chatmill, without curation reports); start the run over with --restart`);
    perUnit.push(JSON.parse(await readFile(path, 'utf8')) as CurationAt[]);
  }
  const g = o.merged.firstGlobal;
  const reports = chainCuration(o.merged).map(({ at, report }) => {
    if (g !== undefined && at >= g) {
      const fromDecide = o.decided?.find((c) => c.at === at);
      if (!fromDecide) throw new Error(`merge: decide left no curation report for ${report.stage} of dataset ${o.merged.name}; rerun the run with --restart`);
      return fromDecide.report;
    }
    const parts = perUnit.flatMap((rows) => rows.filter((c) => c.at === at).map((c) => c.report));
    return parts.length ? combineReports(parts) : report;
  });
  return CurationLog.of(reports);
}
