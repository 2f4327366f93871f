import { createHash } from 'node:crypto';
import type { Message } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { drop, keep } from '../types.js';
import { mapStage } from '../stage.js';

/**
 * Drops exact duplicates: records whose normalized messages (and tools, which are rendered into the
 * system turn, so they are part of the training text) are identical to an earlier record's.
 * The drop names the first record's id in `duplicate_of`. Memory grows with the number of distinct
 * records (one 16-byte hash each), the one stage whose state is not flat.
 */
type Dedupable = { id: string; messages: Message[]; tools?: unknown[] };

export function dedupStage(): Stage<Dedupable, Dedupable> {
  const seen = new Map<string, string>();
  return mapStage('dedup', (item) => {
    const key = createHash('sha256').update(JSON.stringify([item.value.messages, item.value.tools ?? null])).digest('base64').slice(0, 22);
    const first = seen.get(key);
    if (first !== undefined) {
      return drop(item.ref, 'duplicate', `same messages as record ${first}`, { id: item.value.id, duplicateOf: first });
    }
    seen.set(key, item.value.id);
    return keep(item.ref, item.value, item.raw);
  });
}
