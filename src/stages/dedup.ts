import { hash } from 'node:crypto';
import type { Message } from '../../schemas/chatml.js';
import type { Keep, Outcome, Stage } from '../types.js';
import { drop, keep } from '../types.js';
import { HashIndex, type Ref } from '../dedup/hash-index.js';
import { IdSpill } from '../dedup/id-spill.js';

/**
 * Drops exact duplicates: records whose normalized messages (and tools, which are rendered into the
 * system turn, so they are part of the training text) are identical to an earlier record's.
 * The drop names the first record's id in `duplicate_of`.
 *
 * Memory is fixed per distinct record, whatever its id: a 16-byte sha256 prefix and a 12-byte reference
 * in typed arrays (src/dedup/hash-index.ts). A kept id is needed only when a duplicate of it turns up, so
 * it goes to a temporary file (src/dedup/id-spill.ts) and is read back then. An id that is the record's
 * content id (no id of its own) is the hash's first 8 bytes in hex, so it is not written at all.
 */
type Dedupable = { id: string; messages: Message[]; tools?: unknown[] };

/** Reference length meaning "the id is the content id, rebuilt from the hash". */
const CONTENT_ID = 0xffffffff;
/** Ids read back for recent duplicates; bounded in count and in id size. */
const CACHE_ENTRIES = 1024;
const CACHE_MAX_ID_CHARS = 512;

export function dedupStage(): Stage<Dedupable, Dedupable> {
  return {
    name: 'dedup',
    async *run(input: AsyncIterable<Keep<Dedupable>>): AsyncGenerator<Outcome<Dedupable>> {
      const index = new HashIndex();
      let spill: IdSpill | undefined;
      const cache = new Map<number, string>();
      const idOf = (digest: Buffer, [offLo, offHi, length]: Ref): string => {
        if (length === CONTENT_ID) return digest.toString('hex', 0, 8);
        return spill!.read(offHi * 2 ** 32 + offLo, length);
      };
      try {
        for await (const item of input) {
          const digest = hash('sha256', JSON.stringify([item.value.messages, item.value.tools ?? null]), 'buffer');
          const e = index.find(digest);
          if (e >= 0) {
            let first = cache.get(e);
            if (first === undefined) {
              first = idOf(digest, index.ref(e));
              if (first.length <= CACHE_MAX_ID_CHARS) cache.set(e, first);
              if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
            } else {
              // Most recently used last, so the oldest is evicted first.
              cache.delete(e);
              cache.set(e, first);
            }
            yield drop(item.ref, 'duplicate', `same messages as record ${first}`, { id: item.value.id, duplicateOf: first });
            continue;
          }
          const id = item.value.id;
          if (id === digest.toString('hex', 0, 8)) {
            index.add(digest, [0, 0, CONTENT_ID]);
          } else {
            spill ??= new IdSpill();
            const { offset, length } = spill.append(id);
            index.add(digest, [offset % 2 ** 32, Math.floor(offset / 2 ** 32), length]);
          }
          yield keep(item.ref, item.value, item.raw);
        }
      } finally {
        // Runs on normal end, on an error upstream, and when the consumer stops early.
        spill?.close();
      }
    },
  };
}
