/**
 * What is on the Hub: the head commit of the target branch and every file in it with its oid.
 * Regular files expose a git blob sha1 as `oid`; LFS files additionally expose their sha256 as `lfs.oid`.
 * Listing by the head commit's sha (not the branch name) gives one consistent snapshot to diff against.
 */
import { createBranch, createRepo, datasetInfo, HubApiError, listFiles, repoExists } from '@huggingface/hub';

export interface HubTarget {
  repo: string;
  hubUrl: string;
  accessToken?: string;
  fetch: typeof fetch;
}

export interface RemoteFile {
  path: string;
  size: number;
  /** git blob sha1 (of the pointer file, for LFS files). */
  oid: string;
  /** sha256 of the content when the file is stored with LFS. */
  lfsSha256?: string;
}

export interface RemoteState {
  /** False when the repo does not exist yet (only seen in dry runs; real runs create it). */
  exists: boolean;
  /** Head commit of the branch; undefined for a repo or branch that does not exist. */
  head?: string;
  files: Map<string, RemoteFile>;
}

const dataset = (repo: string) => ({ type: 'dataset' as const, name: repo });
const isNotFound = (err: unknown) => err instanceof HubApiError && err.statusCode === 404;

/** Head sha of a branch, or undefined when the branch (or repo) does not exist. */
export async function branchHead(target: HubTarget & { branch: string }): Promise<string | undefined> {
  try {
    const info = await datasetInfo({
      name: target.repo,
      revision: target.branch,
      hubUrl: target.hubUrl,
      accessToken: target.accessToken,
      fetch: target.fetch,
      additionalFields: ['sha'],
    });
    return info.sha;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function listRemoteFiles(target: HubTarget & { revision: string }): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  for await (const entry of listFiles({
    repo: dataset(target.repo),
    revision: target.revision,
    recursive: true,
    hubUrl: target.hubUrl,
    accessToken: target.accessToken,
    fetch: target.fetch,
  })) {
    if (entry.type !== 'file') continue;
    files.set(entry.path, { path: entry.path, size: entry.size, oid: entry.oid ?? '', lfsSha256: entry.lfs?.oid });
  }
  return files;
}

/** Read the remote state of a branch without changing anything. */
export async function readRemote(target: HubTarget & { branch: string }): Promise<RemoteState> {
  const head = await branchHead(target);
  if (!head) {
    const exists = await repoExists({ repo: dataset(target.repo), hubUrl: target.hubUrl, accessToken: target.accessToken, fetch: target.fetch });
    return { exists, files: new Map() };
  }
  return { exists: true, head, files: await listRemoteFiles({ ...target, revision: head }) };
}

/**
 * Make sure the repo and branch exist (repo type dataset). An existing repo is fine; visibility is only
 * applied when we create it. Returns whether the repo was created.
 */
export async function ensureRepoAndBranch(target: HubTarget & { branch: string; private: boolean }): Promise<boolean> {
  let created = false;
  const exists = await repoExists({ repo: dataset(target.repo), hubUrl: target.hubUrl, accessToken: target.accessToken, fetch: target.fetch });
  if (!exists) {
    try {
      await createRepo({
        repo: dataset(target.repo),
        visibility: target.private ? 'private' : undefined,
        hubUrl: target.hubUrl,
        accessToken: target.accessToken!,
        fetch: target.fetch,
      });
      created = true;
    } catch (err) {
      // 409: someone created it between our check and our create. That is fine.
      if (!(err instanceof HubApiError && err.statusCode === 409)) throw err;
    }
  }
  if (!(await branchHead(target))) {
    await createBranch({ repo: dataset(target.repo), branch: target.branch, hubUrl: target.hubUrl, accessToken: target.accessToken, fetch: target.fetch });
  }
  return created;
}
