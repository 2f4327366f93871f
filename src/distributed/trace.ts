import type { Dropped, Rejected } from '../types.js';

/**
 * One line of a unit's trace (data/map/unit-N/<dataset>.trace.jsonl): a record that reached the dataset's
 * first global stage (or, in a dataset without one, a kept item), in input order.
 *  - `i`, `l`: the record's index and line;
 *  - `v`: its value: the final value when kept, else the value as it entered the stage that ended it;
 *  - `k`: 1 when it left the map chain kept;
 *  - `e`: the stage (index in the chain) that rejected or dropped it, and that outcome: provisional, since a
 *    global stage before it may drop the record first;
 *  - `w`: warnings raised after the first global stage, with the stage index: also provisional;
 *  - `x`: 1 when tokenize found it over max_length after the first global stage (the audit counts those).
 */
export interface TraceLine {
  i: number;
  l?: number;
  v: unknown;
  k?: 1;
  e?: { k: number; o: Rejected | Dropped };
  w?: [number, string][];
  x?: 1;
}

export const traceFile = (dataset: string): string => `${encodeURIComponent(dataset)}.trace.jsonl`;
