import type { SplitResult } from './shard-writer.js';
import { columnsFor, type ExportKind, type ToolFormat } from './columns.js';
import { featuresYaml } from './features.js';

/** The Hub's `size_categories` buckets, by total row count. */
export function sizeCategory(rows: number): string {
  const steps: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
    [1e10, '1B<n<10B'],
    [1e11, '10B<n<100B'],
    [1e12, '100B<n<1T'],
  ];
  for (const [limit, label] of steps) if (rows < limit) return label;
  return 'n>1T';
}

export interface ConfigGroup {
  config: string;
  kind: ExportKind;
  toolFormat: ToolFormat;
  splits: SplitResult[];
}

/** Group split results by config, keeping first-seen order; a config must hold one kind. */
export function groupByConfig(splits: SplitResult[]): ConfigGroup[] {
  const groups = new Map<string, ConfigGroup>();
  for (const s of splits) {
    const g = groups.get(s.config) ?? { config: s.config, kind: s.kind, toolFormat: s.toolFormat, splits: [] };
    if (g.kind !== s.kind) throw new Error(`config ${s.config} mixes ${g.kind} and ${s.kind} records`);
    if (g.toolFormat !== s.toolFormat) throw new Error(`config ${s.config} mixes tool formats ${g.toolFormat} and ${s.toolFormat}`);
    if (g.splits.some((x) => x.split === s.split)) throw new Error(`config ${s.config} has split ${s.split} twice`);
    g.splits.push(s);
    groups.set(s.config, g);
  }
  return [...groups.values()];
}

/** Glob matching exactly one split's shards (`?` per digit, so split `train` never matches `train-extra`). */
export const splitGlob = (config: string, split: string) => `data/${config}/${split}-?????-of-?????.parquet`;

export interface FrontMatterOptions {
  groups: ConfigGroup[];
  /** On-disk bytes per shard path (for download_size). */
  fileSizes: Record<string, number>;
  license: string;
  language: string[];
  tags: string[];
}

/** The YAML front matter object: configs, dataset_info, license, language, tags, task_categories, size_categories. */
export function frontMatter(o: FrontMatterOptions): Record<string, unknown> {
  const rows = o.groups.reduce((n, g) => n + g.splits.reduce((m, s) => m + s.numRows, 0), 0);
  return {
    license: o.license,
    language: o.language,
    task_categories: ['text-generation'],
    tags: o.tags,
    size_categories: [sizeCategory(rows)],
    configs: o.groups.map((g, i) => ({
      config_name: g.config,
      ...(i === 0 ? { default: true } : {}),
      data_files: g.splits.map((s) => ({ split: s.split, path: splitGlob(g.config, s.split) })),
    })),
    dataset_info: o.groups.map((g) => ({
      config_name: g.config,
      features: featuresYaml(columnsFor(g.kind, g.toolFormat)),
      splits: g.splits.map((s) => ({ name: s.split, num_bytes: s.numBytes, num_examples: s.numRows })),
      download_size: g.splits.flatMap((s) => s.files).reduce((n, f) => n + (o.fileSizes[f.path] ?? 0), 0),
      dataset_size: g.splits.reduce((n, s) => n + s.numBytes, 0),
    })),
  };
}
