import { isObject } from '../formats/problem.js';
import { mapStage } from '../stage.js';
import { keep, type Stage } from '../types.js';

/** standard field → the field in the records, e.g. {prompt: "question", chosen: "response_j", rejected: "response_k"} */
export type ColumnRenames = Record<string, string>;

/**
 * The record with its own field names replaced by the standard ones the preference shapes are detected
 * by. A mapped field the record lacks is left absent (detection then says what is missing); a standard
 * field the record also holds under its own name is replaced by the mapped one, as the user asked.
 */
export function renameColumns(record: Record<string, unknown>, columns: ColumnRenames): Record<string, unknown> {
  const theirs = new Set(Object.values(columns));
  const standard = new Set(Object.keys(columns));
  // Object.fromEntries defines own properties, so a `__proto__` field stays plain data.
  const kept = Object.entries(record).filter(([k]) => !theirs.has(k) && !standard.has(k));
  const mapped = Object.entries(columns).filter(([, field]) => Object.hasOwn(record, field)).map(([std, field]) => [std, record[field]] as const);
  return Object.fromEntries([...kept, ...mapped]);
}

/**
 * A pipeline input's `columns` for a preference dataset: rename each record's fields before the pairs stage
 * detects its shape. Records of inputs without a mapping pass untouched; `raw` keeps the original text.
 */
export function renameColumnsStage(columnsFor: (source: string) => ColumnRenames | undefined): Stage<unknown, unknown> {
  return mapStage('columns', (item) => {
    const columns = columnsFor(item.ref.source);
    if (!columns || !isObject(item.value)) return item;
    return keep(item.ref, renameColumns(item.value, columns), item.raw);
  });
}
