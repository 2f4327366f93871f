import type { z } from 'zod';
import type { DecontaminateOptions as DecontaminateSchema, NearDedupOptions as NearDedupSchema } from '../../schemas/pipeline.js';
import type { DecontaminateOptions } from './decontaminate.js';
import type { NearDedupOptions } from './near-dedup.js';

/** A pipeline file's `near_dedup:` section (snake_case, defaults filled by zod) as the stage's options. */
export const nearDedupSettingsFrom = (n: z.infer<typeof NearDedupSchema>): NearDedupOptions => ({
  threshold: n.threshold,
  ngram: n.ngram,
  numPerm: n.num_perm,
  bands: n.bands,
  rows: n.rows,
  seed: n.seed,
  roles: n.roles,
  maxCandidates: n.max_candidates,
  tmpDir: n.tmp_dir,
});

/** A pipeline file's `decontaminate:` section as the stage's options. */
export const decontaminateSettingsFrom = (d: z.infer<typeof DecontaminateSchema>): DecontaminateOptions => ({
  benchmarks: d.benchmarks,
  ngram: d.ngram,
  threshold: d.threshold,
  minWords: d.min_words,
  roles: d.roles,
  mode: d.mode,
});
