/**
 * One commit of at most 50 operations through the Hub client. LFS vs regular is decided by the Hub's
 * preupload answer inside the client; we only hand it file-backed Blobs (nothing is loaded up front).
 */
import { openAsBlob } from 'node:fs';
import { commitIter, type CommitOperation } from '@huggingface/hub';
import type { PlannedOp } from './plan.js';
import type { HubTarget } from './remote.js';

export interface CommitBatchOptions {
  target: HubTarget;
  ops: PlannedOp[];
  title: string;
  description: string;
  branch: string;
  /** Open a pull request with this commit instead of committing to the branch. */
  openPr: boolean;
  /** The head we planned against. The Hub answers 412 if the branch moved since. */
  parentCommit?: string;
  onFile?: (event: { path: string; state: 'hashing' | 'uploading' | 'error'; progress: number }) => void;
}

export interface CommitBatchResult {
  oid: string;
  pullRequestUrl?: string;
}

export async function commitBatch(options: CommitBatchOptions): Promise<CommitBatchResult> {
  const operations: CommitOperation[] = await Promise.all(
    options.ops.map(async (op): Promise<CommitOperation> =>
      op.kind === 'delete'
        ? { operation: 'delete', path: op.path }
        : { operation: 'addOrUpdate', path: op.file.path, content: await openAsBlob(op.file.absPath) },
    ),
  );
  const iterator = commitIter({
    repo: { type: 'dataset', name: options.target.repo },
    operations,
    title: options.title,
    description: options.description,
    branch: options.branch,
    isPullRequest: options.openPr,
    parentCommit: options.parentCommit,
    hubUrl: options.target.hubUrl,
    accessToken: options.target.accessToken,
    fetch: options.target.fetch,
    // Plain LFS (basic/multipart transfers): the protocol every Hub deployment accepts from clients
    // that do not announce xet, and the one our offline stand-in implements.
    useXet: false,
  });
  let step = await iterator.next();
  while (!step.done) {
    const event = step.value;
    if (event.event === 'fileProgress') options.onFile?.({ path: event.path, state: event.state, progress: event.progress });
    step = await iterator.next();
  }
  const output = step.value;
  if (!output?.commit?.oid) throw new Error('the Hub accepted the commit but returned no commit id');
  return { oid: output.commit.oid, pullRequestUrl: output.pullRequestUrl };
}
