import type { Stage } from '../types.js';
import { tapStage } from '../stage.js';
import { JsonlWriter } from '../jsonl-writer.js';

/** Writes every kept value as one JSON line and passes it on. */
export function writeJsonlStage<T>(path: string): Stage<T, T> {
  const writer = new JsonlWriter(path);
  return tapStage<T>(
    'write',
    (item) => writer.write(item.value),
    () => writer.close(),
  );
}
