import type { Dropped, SourceRef } from '../types.js';
import { drop } from '../types.js';

/**
 * Evidence a curation drop carries beyond `id` and `duplicate_of`: `similarity` (near_dedup),
 * `benchmark`, `benchmark_index`, `benchmark_id`, `overlap` (decontaminate). It travels as the drop's
 * `detail`, whose keys are written to dropped.jsonl as they are, so they are snake_case here.
 */
export type Evidence = Record<string, string | number>;
export type DroppedWithEvidence = Dropped & { detail: Evidence };

export function dropWithEvidence(
  ref: SourceRef,
  reason: string,
  message: string,
  extra: { id?: string; duplicateOf?: string },
  evidence: Evidence,
): DroppedWithEvidence {
  return { ...drop(ref, reason, message, extra), detail: evidence };
}
