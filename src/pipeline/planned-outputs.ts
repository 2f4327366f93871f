import { join } from 'node:path';
import type { Pipeline } from '../../schemas/pipeline.js';
import type { PlannedOutput } from '../outputs/clash.js';
import { AUDIT_FILES } from '../report/write-audit-reports.js';
import { datasetDir } from './exports.js';
import { joinOut } from './load.js';
import { SUMMARY_FILE } from './staging.js';

export const REJECTS_FILE = 'rejects.jsonl';
export const DROPPED_FILE = 'dropped.jsonl';
export const pairStatsFile = (dataset: string): string => `${dataset}.pair-stats.json`;
export const mixReportFile = (dataset: string): string => `${dataset}.mix.json`;

/**
 * Every file and folder a pipeline run will write, read from the pipeline file alone, so they can be
 * checked against the inputs before anything is opened for writing.
 */
export function plannedOutputs(pipeline: Pipeline, out: string): PlannedOutput[] {
  const outputs: PlannedOutput[] = [
    { path: join(out, REJECTS_FILE), what: `the run's ${REJECTS_FILE}` },
    { path: join(out, DROPPED_FILE), what: `the run's ${DROPPED_FILE}` },
    { path: join(out, SUMMARY_FILE), what: `the run's ${SUMMARY_FILE}` },
  ];
  let exports = false;
  for (const [name, dataset] of Object.entries(pipeline.datasets)) {
    if (dataset.kind === 'preference') outputs.push({ path: join(out, pairStatsFile(name)), what: `datasets.${name} pair statistics` });
    for (const [i, entry] of dataset.stages.entries()) {
      const where = `datasets.${name}.stages[${i}]`;
      if ('write' in entry && entry.write) outputs.push({ path: joinOut(out, entry.write.path), what: `${where}.write` });
      else if ('mix' in entry && entry.mix) outputs.push({ path: join(out, mixReportFile(name)), what: `${where}.mix report` });
      else if ('audit' in entry && dataset.kind !== 'preference') {
        const dir = joinOut(out, entry.audit?.dir ?? '.');
        for (const f of Object.values(AUDIT_FILES)) outputs.push({ path: join(dir, f), what: `${where}.audit` });
      } else if ('export' in entry) exports = true;
    }
  }
  if (exports) outputs.push({ path: datasetDir(out), what: 'the exported dataset folder', kind: 'dir' });
  return outputs;
}
