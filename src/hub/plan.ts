/**
 * The diff between the export on disk and the branch on the Hub, and how to split it into commits.
 * A file is skipped when the remote copy has the same bytes: LFS files are compared by sha256, regular
 * files by git blob sha1. Shards of a config+split that the new export re-shards are deleted, the way
 * `datasets` does it; other configs and splits are never touched.
 */
import { gitBlobSha1, type LocalFile } from './local-files.js';
import type { RemoteFile } from './remote.js';

export interface PushPlan {
  upload: LocalFile[];
  skip: LocalFile[];
  /** Remote paths to remove (stale shards). */
  delete: string[];
}

export type PlannedOp = { kind: 'upload'; file: LocalFile } | { kind: 'delete'; path: string };

/** `data/{config}/{split}-{i:05d}-of-{n:05d}.parquet` → `{config}/{split}`. */
const SHARD = /^data\/([^/]+)\/([^/]+)-\d{5}-of-\d{5}\.parquet$/;

export function shardGroup(path: string): string | undefined {
  const m = SHARD.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

async function sameContent(local: LocalFile, remote: RemoteFile): Promise<boolean> {
  if (local.size !== remote.size) return false;
  if (remote.lfsSha256) return remote.lfsSha256 === local.sha256;
  // Regular file: only now pay for a sha1 pass (these are small: cards, manifests, images).
  return (await gitBlobSha1({ absPath: local.absPath, size: local.size })) === remote.oid;
}

export async function planPush(options: { local: LocalFile[]; remote: Map<string, RemoteFile> }): Promise<PushPlan> {
  const plan: PushPlan = { upload: [], skip: [], delete: [] };
  for (const file of options.local) {
    const remote = options.remote.get(file.path);
    if (remote && (await sameContent(file, remote))) plan.skip.push(file);
    else plan.upload.push(file);
  }
  const localPaths = new Set(options.local.map((f) => f.path));
  const groups = new Set(options.local.map((f) => shardGroup(f.path)).filter((g): g is string => g !== undefined));
  for (const path of options.remote.keys()) {
    const group = shardGroup(path);
    if (group && groups.has(group) && !localPaths.has(path)) plan.delete.push(path);
  }
  plan.delete.sort();
  return plan;
}

/** Data shards first, the card last: a reader never sees a card describing shards that are not there yet. */
function uploadRank(path: string): number {
  if (path.startsWith('data/')) return 0;
  if (path === 'README.md') return 2;
  return 1;
}

/**
 * Split the plan into commits of at most `maxOpsPerCommit` operations. Deletions go last, so stale
 * shards disappear only after their replacements are committed.
 */
export function batchOperations(options: { plan: PushPlan; maxOpsPerCommit: number }): PlannedOp[][] {
  const uploads = [...options.plan.upload].sort((a, b) => uploadRank(a.path) - uploadRank(b.path) || (a.path < b.path ? -1 : 1));
  const ops: PlannedOp[] = [
    ...uploads.map((file) => ({ kind: 'upload' as const, file })),
    ...options.plan.delete.map((path) => ({ kind: 'delete' as const, path })),
  ];
  const batches: PlannedOp[][] = [];
  for (let i = 0; i < ops.length; i += options.maxOpsPerCommit) batches.push(ops.slice(i, i + options.maxOpsPerCommit));
  return batches;
}
