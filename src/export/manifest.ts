import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../outputs/atomic.js';
import { join, posix, relative, sep } from 'node:path';
import type { SplitResult } from './shard-writer.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  chatmill_version: string;
  configs: { config: string; kind: string; split: string; num_rows: number; num_bytes: number; files: string[] }[];
  files: ManifestFile[];
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, relative POSIX paths, sorted; hidden temporaries and the manifest excluded. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const rel = relative(dir, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
    const posixRel = rel.split(sep).join(posix.sep);
    if (posixRel === MANIFEST_FILE || posixRel.split('/').some((p) => p.startsWith('.'))) continue;
    out.push(posixRel);
  }
  return out.sort();
}

/**
 * The manifest is the dataset folder's commit point: it is removed before anything in the folder changes
 * (`invalidateManifest`) and written last (`writeManifest`), and `push` refuses a folder without a matching one.
 * So a run that is stopped half-way leaves a folder that cannot be published by mistake.
 */
export async function invalidateManifest(dir: string): Promise<void> {
  await rm(join(dir, MANIFEST_FILE), { force: true });
}

/** Write `DIR/manifest.json` (atomically): every file in the dataset folder with size and sha256, plus the config/split books. */
export async function writeManifest(opts: { dir: string; splits: SplitResult[]; version: string }): Promise<Manifest> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(opts.dir)) {
    const abs = join(opts.dir, ...path.split('/'));
    files.push({ path, size: (await stat(abs)).size, sha256: await sha256File(abs) });
  }
  const manifest: Manifest = {
    chatmill_version: opts.version,
    configs: opts.splits.map((s) => ({
      config: s.config,
      kind: s.kind,
      split: s.split,
      num_rows: s.numRows,
      num_bytes: s.numBytes,
      files: s.files.map((f) => f.path),
    })),
    files,
  };
  await writeFileAtomic(join(opts.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
