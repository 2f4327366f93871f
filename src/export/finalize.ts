import { stat } from 'node:fs/promises';
import { writeFileAtomic } from '../outputs/atomic.js';
import { join } from 'node:path';
import type { Audit } from '../../schemas/audit.js';
import { renderCard, type CardOptions, type Provenance } from './card.js';
import { renderMixtureSvg } from './card-chart.js';
import { writeManifest, type Manifest } from './manifest.js';
import type { SplitResult } from './shard-writer.js';

export interface FinalizeOptions {
  dir: string;
  /** The results of every export stage / shard writer that wrote into `dir`. */
  configs: SplitResult[];
  audit?: Audit;
  provenance: Provenance;
  card?: Pick<CardOptions, 'repoId' | 'title' | 'license' | 'language' | 'tags'>;
  mixes?: CardOptions['mixes'];
}

export const CHART_FILE = 'mixture.svg';

/**
 * After all configs are written: the mixture chart (when an audit is given), the dataset card, and last the
 * manifest, so the manifest's hashes cover the card and chart too.
 */
export async function finalizeDataset(o: FinalizeOptions): Promise<Manifest> {
  const fileSizes: Record<string, number> = {};
  for (const f of o.configs.flatMap((c) => c.files)) fileSizes[f.path] = (await stat(join(o.dir, f.path))).size;
  if (o.audit) {
    await writeFileAtomic(join(o.dir, CHART_FILE), renderMixtureSvg({ byCategory: o.audit.by_category, bySource: o.audit.by_source }));
  }
  const card = renderCard({
    ...o.card,
    splits: o.configs,
    fileSizes,
    provenance: o.provenance,
    audit: o.audit,
    mixes: o.mixes,
    chartPath: o.audit ? CHART_FILE : undefined,
  });
  await writeFileAtomic(join(o.dir, 'README.md'), card);
  return writeManifest({ dir: o.dir, splits: o.configs, version: o.provenance.chatmillVersion });
}
