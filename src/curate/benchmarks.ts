import { basename, dirname } from 'node:path';
import { UsageError } from '../types.js';
import { expandInputs, readInput } from '../read/index.js';

/** One benchmark as a user names it: a file, directory or glob, with an optional name and text field. */
export interface BenchmarkSpec {
  path: string;
  /** Benchmark name in drops and reports (default: the file stem). */
  name?: string;
  /**
   * Field holding the item text (default: the first of TEXT_FIELDS present in the file, followed by the
   * record's `choices` or `options` list when it has one: a multiple-choice item is its question and its
   * choices, and MMLU questions alone are often two or three words, "Neural networks:").
   */
  field?: string;
}

export interface BenchmarkItem {
  benchmark: string;
  /** 0-based position in its file. */
  index: number;
  /** The item's own id when it has one (task_id, unique_id, ...). */
  id?: string;
  text: string;
}

export interface LoadedBenchmarks {
  items: BenchmarkItem[];
  /** Per benchmark: file, text field, items read, items without the text field (skipped). */
  files: { benchmark: string; path: string; field: string; items: number; skipped: number }[];
}

export const TEXT_FIELDS = ['question', 'prompt', 'problem', 'instruction', 'input'];
const CHOICE_FIELDS = ['choices', 'options'];
const ID_FIELDS = ['id', 'task_id', 'unique_id', 'uid', 'key', 'question_id', 'idx'];

const stem = (p: string) => basename(p).replace(/(\.(jsonl|ndjson|json|parquet))?(\.gz)?$/i, '');

/**
 * Read benchmark files in any container chatmill reads. A file whose records have none of the text
 * fields (or not the one named) is a usage error, as is an unreadable file: decontamination against a
 * benchmark that silently loaded nothing would pass every record.
 */
export async function loadBenchmarks(specs: (string | BenchmarkSpec)[]): Promise<LoadedBenchmarks> {
  const files: { spec: BenchmarkSpec; path: string }[] = [];
  for (const s of specs) {
    const spec = typeof s === 'string' ? { path: s } : s;
    for (const path of await expandInputs([spec.path])) files.push({ spec, path });
  }
  // Names: the file stem, qualified by its folder when two files share a stem (math/test, gsm8k/test).
  const stems = new Map<string, number>();
  for (const f of files) if (!f.spec.name) stems.set(stem(f.path), (stems.get(stem(f.path)) ?? 0) + 1);
  const out: LoadedBenchmarks = { items: [], files: [] };
  for (const { spec, path } of files) {
    const base = stem(path);
    const name = spec.name ?? ((stems.get(base) ?? 0) > 1 ? `${basename(dirname(path))}/${base}` : base);
    let field = spec.field;
    let items = 0;
    let skipped = 0;
    for await (const o of readInput(path)) {
      if (o.kind !== 'keep') throw new UsageError(`benchmark ${path}: record ${o.ref.index} is unreadable (${o.kind === 'reject' ? o.message : o.reason})`);
      let value = o.value;
      if (value === undefined) {
        try {
          value = JSON.parse(o.raw);
        } catch (e) {
          throw new UsageError(`benchmark ${path}: record ${o.ref.index} is not JSON: ${(e as Error).message}`);
        }
      }
      const rec = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      field ??= TEXT_FIELDS.find((k) => typeof rec[k] === 'string');
      let text = field !== undefined ? rec[field] : undefined;
      if (!spec.field && typeof text === 'string') {
        const choices = CHOICE_FIELDS.map((k) => rec[k]).find((v) => Array.isArray(v) && v.every((c) => typeof c === 'string')) as string[] | undefined;
        if (choices) text = [text, ...choices].join('\n');
      }
      if (typeof text !== 'string') {
        skipped++;
        continue;
      }
      const idField = ID_FIELDS.find((k) => typeof rec[k] === 'string' || typeof rec[k] === 'number');
      out.items.push({ benchmark: name, index: o.ref.index, text, ...(idField ? { id: String(rec[idField]) } : {}) });
      items++;
    }
    if (!items) throw new UsageError(`benchmark ${path}: no record has ${spec.field ? `the field "${spec.field}"` : `any of ${TEXT_FIELDS.join(', ')}`}; name the text field with field:`);
    out.files.push({ benchmark: name, path, field: field!, items, skipped });
  }
  return out;
}
