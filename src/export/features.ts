import type { ColumnSpec, ColumnType } from './columns.js';

/**
 * Hugging Face `datasets` feature descriptions for our columns, in the two spellings `datasets` uses:
 * - JSON (`Features.to_dict()`, stored under the `huggingface` key of the Arrow schema metadata). Since
 *   datasets 4.0 a list is `{"feature": ..., "_type": "List"}`; a struct is a plain object of sub-features;
 *   defaults such as `id: null` and `length: -1` are omitted, as `datasets`' own asdict omits them.
 * - YAML (`Features._to_yaml_list()`, the `dataset_info.features` list in the dataset card), where a list
 *   of structs becomes `list: [{name, dtype}, ...]`.
 */

type ValueFeature = { dtype: string; _type: 'Value' };
type JsonFeature = { _type: 'Json' };
type ListFeature = { feature: Record<string, ValueFeature> | JsonFeature; _type: 'List' };
export type Feature = ValueFeature | ListFeature;

const DTYPE: Record<Exclude<ColumnType, 'messages' | 'chat'>, string> = {
  string: 'string',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
};

const value = (dtype: string): ValueFeature => ({ dtype, _type: 'Value' });

function featureOf(type: ColumnType): Feature {
  if (type === 'messages') return { feature: { role: value('string'), content: value('string') }, _type: 'List' };
  if (type === 'chat') return { feature: { _type: 'Json' }, _type: 'List' };
  return value(DTYPE[type]);
}

/** `Features.to_dict()` for the given columns, in column order. */
export function featuresJson(columns: readonly ColumnSpec[]): Record<string, Feature> {
  const out: Record<string, Feature> = {};
  for (const c of columns) out[c.name] = featureOf(c.type);
  return out;
}

/** The exact string `datasets` looks for under the `huggingface` schema-metadata key. */
export function huggingfaceMetadata(columns: readonly ColumnSpec[]): string {
  return JSON.stringify({ info: { features: featuresJson(columns) } });
}

export type YamlFeature =
  | { name: string; dtype: string }
  | { name: string; list: { name: string; dtype: string }[] | 'json' };

/** The `dataset_info.features` list of a dataset card. */
export function featuresYaml(columns: readonly ColumnSpec[]): YamlFeature[] {
  return columns.map((c) => {
    if (c.type === 'messages') return { name: c.name, list: [{ name: 'role', dtype: 'string' }, { name: 'content', dtype: 'string' }] };
    // `Features._to_yaml_list()` writes List(Json()) as `list: json`.
    if (c.type === 'chat') return { name: c.name, list: 'json' };
    return { name: c.name, dtype: DTYPE[c.type] };
  });
}
