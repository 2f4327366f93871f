/**
 * Publish an exported dataset directory to the Hugging Face Hub, idempotently.
 *
 * 1. Scan the directory and check it against manifest.json (an incomplete or altered export is refused).
 * 2. Read the branch head and its file tree; diff; delete stale shards of re-sharded splits.
 * 3. Commit in batches of at most 50 operations, each pinned to the head we planned against
 *    (`parentCommit`). A 412 means someone else pushed: re-read, re-diff, carry on.
 * Nothing to change means no commit at all. Every HTTP call goes through a retrying fetch.
 */
import { HubApiError } from '@huggingface/hub';
import { UsageError } from '../types.js';
import { commitBatch } from './commit-batch.js';
import { scanExportDir } from './local-files.js';
import { batchOperations, planPush, type PushPlan } from './plan.js';
import { branchHead, ensureRepoAndBranch, listRemoteFiles, readRemote, type HubTarget } from './remote.js';
import { checkBranchName, parseRepoName } from './repo-name.js';
import { createRetryingFetch, type RetryOptions } from './retry-fetch.js';
import { refuseTokenOverPlainHttp, scrubError } from './token.js';
import type { PushEvent } from './push-events.js';

export type { PushEvent } from './push-events.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
export const MAX_FILES_PER_COMMIT = 50;

export interface PushParams {
  dir: string;
  /** `namespace/name` of the dataset repo. */
  repo: string;
  hubUrl?: string;
  /** Required unless dryRun (a dry run of a public repo can plan anonymously). */
  token?: string;
  branch?: string;
  /** Visibility when the repo has to be created; an existing repo keeps its visibility. */
  private?: boolean;
  /** Open a pull request instead of committing to the branch. */
  createPr?: boolean;
  message?: string;
  dryRun?: boolean;
  fetch?: typeof fetch;
  onProgress?: (event: PushEvent) => void;
  retry?: Omit<RetryOptions, 'onRetry'>;
  /** Lower than 50 only for tests; higher is refused. */
  maxFilesPerCommit?: number;
  /** How many times a 412 (concurrent push) may trigger a re-plan. Default 5. */
  maxReplans?: number;
  /** Environment for the plain-http opt-in (default `process.env`). */
  env?: Record<string, string | undefined>;
}

export interface PushResult {
  repo: string;
  url: string;
  commits: string[];
  uploaded: number;
  skipped: number;
  deleted: number;
}

const isConflict = (err: unknown) => err instanceof HubApiError && err.statusCode === 412;

function planEvent(plan: PushPlan): PushEvent {
  return {
    type: 'plan',
    upload: plan.upload.map((f) => ({ path: f.path, size: f.size })),
    skip: plan.skip.length,
    delete: plan.delete,
    bytes: plan.upload.reduce((sum, f) => sum + f.size, 0),
  };
}

export async function pushDataset(params: PushParams): Promise<PushResult> {
  const repo = parseRepoName(params.repo).full;
  const branch = checkBranchName(params.branch ?? 'main');
  const hubUrl = (params.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(hubUrl)) throw new UsageError(`--hub-url must be an http(s) URL`);
  if (params.token) refuseTokenOverPlainHttp(hubUrl, params.env ?? process.env);
  const maxOps = params.maxFilesPerCommit ?? MAX_FILES_PER_COMMIT;
  if (!(maxOps >= 1 && maxOps <= MAX_FILES_PER_COMMIT)) throw new UsageError(`at most ${MAX_FILES_PER_COMMIT} files per commit`);
  if (!params.dryRun && !params.token) throw new UsageError('no Hub token: set HF_TOKEN or pass --token-file');
  const emit = params.onProgress ?? (() => undefined);

  const target: HubTarget = {
    repo,
    hubUrl,
    accessToken: params.token,
    fetch: createRetryingFetch(params.fetch ?? globalThis.fetch, { ...params.retry, onRetry: (info) => emit({ type: 'retry', ...info }) }),
  };
  const result: PushResult = { repo, url: `${hubUrl}/datasets/${repo}${branch === 'main' ? '' : `/tree/${encodeURIComponent(branch)}`}`, commits: [], uploaded: 0, skipped: 0, deleted: 0 };

  try {
    const local = await scanExportDir({ dir: params.dir });
    emit({ type: 'scanned', files: local.length, bytes: local.reduce((s, f) => s + f.size, 0) });

    if (params.dryRun) {
      let remote = await readRemote({ ...target, branch });
      // A branch that does not exist yet would be created from main: diff against that.
      if (remote.exists && !remote.head && branch !== 'main') remote = await readRemote({ ...target, branch: 'main' });
      const plan = await planPush({ local, remote: remote.files });
      emit(planEvent(plan));
      return { ...result, uploaded: plan.upload.length, skipped: plan.skip.length, deleted: plan.delete.length };
    }

    if (await ensureRepoAndBranch({ ...target, branch, private: params.private ?? false })) emit({ type: 'created', repo });

    const uploaded = new Set<string>();
    const deleted = new Set<string>();
    // In PR mode the first commit opens the PR; later commits (and re-plans) go to its refs/pr/N branch.
    let prBranch: string | undefined;
    let replans = 0;
    for (;;) {
      const base = prBranch ?? branch;
      const head = await branchHead({ ...target, branch: base });
      const plan = await planPush({ local, remote: head ? await listRemoteFiles({ ...target, revision: head }) : new Map() });
      emit(planEvent(plan));
      const batches = batchOperations({ plan, maxOpsPerCommit: maxOps });
      let parent = head;
      try {
        for (const [i, ops] of batches.entries()) {
          const files = ops.flatMap((op) => (op.kind === 'upload' ? [op.file] : []));
          emit({ type: 'commit', index: i + 1, total: batches.length, files: files.length, deletes: ops.length - files.length, bytes: files.reduce((s, f) => s + f.size, 0) });
          const title = params.message ?? `Upload dataset with chatmill`;
          const done = await commitBatch({
            target,
            ops,
            title: batches.length > 1 ? `${title} (part ${i + 1}/${batches.length})` : title,
            description: `${files.length} file(s) added or updated, ${ops.length - files.length} stale shard(s) removed.`,
            branch: prBranch ?? branch,
            openPr: Boolean(params.createPr) && !prBranch,
            parentCommit: parent,
            onFile: (e) => emit({ type: 'file', ...e }),
          });
          result.commits.push(done.oid);
          parent = done.oid;
          for (const op of ops) (op.kind === 'upload' ? uploaded.add(op.file.path) : deleted.add(op.path));
          if (done.pullRequestUrl) {
            result.url = done.pullRequestUrl;
            const number = /\/discussions\/(\d+)\/?$/.exec(done.pullRequestUrl)?.[1];
            if (number) prBranch = `refs/pr/${number}`;
          }
          emit({ type: 'committed', index: i + 1, total: batches.length, oid: done.oid });
        }
        break;
      } catch (err) {
        if (!isConflict(err) || replans >= (params.maxReplans ?? 5)) throw err;
        replans++;
        emit({ type: 'replan', reason: 'the branch moved while pushing (HTTP 412): re-reading the remote tree' });
      }
    }
    result.uploaded = uploaded.size;
    result.deleted = deleted.size;
    result.skipped = local.length - uploaded.size;
    return result;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const clean = scrubError(err, params.token);
    const done = result.commits.length;
    clean.message =
      `push to ${repo} failed` +
      (done ? ` after ${done} commit(s) (${result.commits.join(', ')})` : '') +
      `: ${clean.message}. Re-running the same command uploads only what is missing.`;
    throw clean;
  }
}
