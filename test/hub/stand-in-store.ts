/**
 * The in-memory repository model behind the stand-in Hub: dataset repos with refs, commits (full file
 * snapshots), and one LFS object store per server. Oids follow git: a regular file's oid is
 * sha1("blob <len>\0" + bytes); an LFS file's oid is the sha1 of its pointer file, and `lfs.oid` is
 * the sha256 of the content.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface StoredFile {
  path: string;
  size: number;
  oid: string;
  /** Bytes of a regular file. */
  content?: Buffer;
  /** sha256 of an LFS file (its bytes live in HubStore.lfs). */
  lfsSha256?: string;
  pointerSize?: number;
}

export interface StoredCommit {
  oid: string;
  parent?: string;
  title: string;
  files: Map<string, StoredFile>;
}

export interface StoredRepo {
  id: string;
  private: boolean;
  refs: Map<string, string>;
  commits: Map<string, StoredCommit>;
  prCount: number;
}

export type CommitOp =
  | { key: 'file'; path: string; content: Buffer }
  | { key: 'lfsFile'; path: string; oid: string; size: number }
  | { key: 'deletedFile'; path: string };

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const gitOid = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

/** What the Hub writes into a new repo: LFS tracking for binary data formats. */
export const DEFAULT_GITATTRIBUTES = ['*.parquet', '*.arrow', '*.png', '*.jpg', '*.zip', '*.gz']
  .map((p) => `${p} filter=lfs diff=lfs merge=lfs -text`)
  .join('\n')
  .concat('\n');

export class HubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class HubStore {
  readonly repos = new Map<string, StoredRepo>();
  readonly lfs = new Map<string, Buffer>();

  createRepo(options: { id: string; private: boolean }): StoredRepo {
    if (this.repos.has(options.id)) throw new HubError(409, 'You already created this dataset repo');
    const repo: StoredRepo = { id: options.id, private: options.private, refs: new Map(), commits: new Map(), prCount: 0 };
    this.repos.set(options.id, repo);
    const content = Buffer.from(DEFAULT_GITATTRIBUTES);
    const files = new Map([['.gitattributes', { path: '.gitattributes', size: content.length, oid: gitOid(content), content }]]);
    this.addCommit({ repo, ref: 'main', title: 'initial commit', files });
    return repo;
  }

  repo(id: string): StoredRepo {
    const repo = this.repos.get(id);
    if (!repo) throw new HubError(404, 'Repository not found');
    return repo;
  }

  /** Resolve a branch name or a commit sha to a commit. */
  resolve(repo: StoredRepo, rev: string): StoredCommit {
    const oid = repo.refs.get(rev) ?? (repo.commits.has(rev) ? rev : undefined);
    if (!oid) throw new HubError(404, `Invalid rev id: ${rev}`);
    return repo.commits.get(oid)!;
  }

  head(repo: StoredRepo, ref: string): StoredCommit | undefined {
    const oid = repo.refs.get(ref);
    return oid ? repo.commits.get(oid) : undefined;
  }

  private addCommit(options: { repo: StoredRepo; ref: string; title: string; files: Map<string, StoredFile>; parent?: string }): StoredCommit {
    const oid = createHash('sha1').update(randomBytes(16)).digest('hex');
    const commit = { oid, parent: options.parent, title: options.title, files: options.files };
    options.repo.commits.set(oid, commit);
    options.repo.refs.set(options.ref, oid);
    return commit;
  }

  /** Apply a commit the way the Hub does: check the parent, the LFS objects and deletions, then move the ref. */
  commit(options: { repo: StoredRepo; ref: string; title: string; parentCommit?: string; createPr: boolean; ops: CommitOp[] }): { commit: StoredCommit; pr?: number } {
    const { repo } = options;
    let ref = options.ref;
    let pr: number | undefined;
    const branchHead = this.head(repo, ref);
    if (!branchHead) throw new HubError(404, `Invalid rev id: ${ref}`);
    let base = branchHead;
    if (options.createPr) {
      // A PR starts from parentCommit (or the branch head) on a fresh refs/pr/N.
      base = options.parentCommit ? this.resolve(repo, options.parentCommit) : branchHead;
      pr = ++repo.prCount;
      ref = `refs/pr/${pr}`;
    } else if (options.parentCommit && options.parentCommit !== branchHead.oid) {
      throw new HubError(412, `A commit has happened since. Please refresh and try again. (parent ${options.parentCommit} != head ${branchHead.oid})`);
    }
    const files = new Map(base.files);
    for (const op of options.ops) {
      if (op.key === 'file') files.set(op.path, { path: op.path, size: op.content.length, oid: gitOid(op.content), content: op.content });
      else if (op.key === 'lfsFile') {
        const bytes = this.lfs.get(op.oid);
        if (!bytes || bytes.length !== op.size) throw new HubError(422, `LFS object ${op.oid} for ${op.path} was never uploaded`);
        const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${op.oid}\nsize ${op.size}\n`);
        files.set(op.path, { path: op.path, size: op.size, oid: gitOid(pointer), lfsSha256: op.oid, pointerSize: pointer.length });
      } else {
        if (!files.delete(op.path)) throw new HubError(404, `cannot delete ${op.path}: not in the repo`);
      }
    }
    return { commit: this.addCommit({ repo, ref, title: options.title, files, parent: base.oid }), pr };
  }

  /** Bytes of a file as `resolve` serves them. */
  read(file: StoredFile): Buffer {
    return file.content ?? this.lfs.get(file.lfsSha256!)!;
  }

  /** Someone else pushes to the branch (for 412 tests): change or delete a file. */
  concurrentCommit(options: { repoId: string; ref: string; op: CommitOp }): StoredCommit {
    const repo = this.repo(options.repoId);
    return this.commit({ repo, ref: options.ref, title: 'concurrent edit', createPr: false, ops: [options.op] }).commit;
  }
}
