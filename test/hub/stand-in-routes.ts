/**
 * URL routing and handlers of the stand-in Hub. Paths mirror what @huggingface/hub builds:
 *   GET  /api/datasets/{repo}                       repoExists
 *   GET  /api/datasets/{repo}/revision/{rev}        datasetInfo (sha of the revision)
 *   POST /api/repos/create                          createRepo
 *   POST /api/datasets/{repo}/branch/{branch}       createBranch
 *   POST /api/datasets/{repo}/preupload/{rev}       which files go to LFS
 *   POST /datasets/{repo}.git/info/lfs/objects/batch
 *   PUT  /__lfs/basic/{oid}/{size}, PUT /__lfs/part/{id}/{n}, POST /__lfs/complete/{id}
 *   POST /api/datasets/{repo}/commit/{rev}[?create_pr=1]  ndjson
 *   GET  /api/datasets/{repo}/tree/{rev}[/{path}]   paginated with Link: rel="next"
 *   GET  /datasets/{repo}/resolve/{rev}/{path}      bytes, honouring Range
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { StandInLfs } from './stand-in-lfs.js';
import { HubError, type CommitOp, type HubStore } from './stand-in-store.js';

interface Ctx {
  hub: { url: string; store: HubStore };
  lfs: StandInLfs;
  url: URL;
  body: Buffer;
  authorized: boolean;
  headers: IncomingHttpHeaders;
  pageSize: number;
}

interface Out {
  status?: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

type Kind = 'repo-info' | 'revision-info' | 'create' | 'branch' | 'preupload' | 'batch' | 'upload' | 'part' | 'complete' | 'commit' | 'tree' | 'resolve' | 'unknown';

export interface Route {
  kind: Kind;
  repo: string;
  rev: string;
  handle(ctx: Ctx): Out | Promise<Out>;
}

const SEG = '([^/]+)';
const REPO = `${SEG}/${SEG}`;
const needAuth = (ctx: Ctx) => {
  if (!ctx.authorized) throw new HubError(401, 'Invalid credentials in Authorization header');
};
const json = (b: Buffer) => {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    throw new HubError(400, 'body is not JSON');
  }
};

function readableRepo(ctx: Ctx, id: string) {
  const repo = ctx.hub.store.repo(id);
  if (repo.private && !ctx.authorized) throw new HubError(401, 'Repository not found');
  return repo;
}

function info(ctx: Ctx, id: string, rev: string): Out {
  const repo = readableRepo(ctx, id);
  const commit = ctx.hub.store.resolve(repo, rev);
  return { json: { _id: id, id, private: repo.private, sha: commit.oid, lastModified: new Date().toISOString(), downloads: 0, likes: 0, gated: false } };
}

function preupload(ctx: Ctx, id: string, rev: string): Out {
  needAuth(ctx);
  const repo = ctx.hub.store.repo(id);
  const attrs = ctx.hub.store.resolve(repo, rev).files.get('.gitattributes')?.content?.toString('utf8') ?? '';
  const lfsExts = [...attrs.matchAll(/^\*(\.[\w.]+)\s.*filter=lfs/gm)].map((m) => m[1]!);
  const files = (json(ctx.body).files as { path: string; size: number; sample: string }[]).map((f) => {
    const binary = Buffer.from(f.sample, 'base64').includes(0);
    const lfs = binary || f.size >= 10 * 1024 * 1024 || lfsExts.some((ext) => f.path.endsWith(ext));
    return { path: f.path, uploadMode: lfs ? 'lfs' : 'regular', shouldIgnore: false };
  });
  return { json: { files } };
}

function commit(ctx: Ctx, id: string, rev: string): Out {
  needAuth(ctx);
  const lines = ctx.body.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; value: Record<string, string> });
  const header = lines[0]?.key === 'header' ? lines[0].value : undefined;
  if (!header?.summary) throw new HubError(400, 'missing commit header/summary');
  const ops: CommitOp[] = lines.slice(1).map(({ key, value }) => {
    if (key === 'file') return { key, path: value.path!, content: Buffer.from(value.content!, 'base64') };
    if (key === 'lfsFile') return { key, path: value.path!, oid: value.oid!, size: Number(value.size) };
    if (key === 'deletedFile') return { key, path: value.path! };
    throw new HubError(400, `unknown operation ${key}`);
  });
  const createPr = ctx.url.searchParams.get('create_pr') === '1';
  const repo = ctx.hub.store.repo(id);
  const done = ctx.hub.store.commit({ repo, ref: rev, title: header.summary, parentCommit: header.parentCommit, createPr, ops });
  const base = `${ctx.hub.url}/datasets/${id}`;
  return {
    json: { success: true, commitOid: done.commit.oid, commitUrl: `${base}/commit/${done.commit.oid}`, hookOutput: '', ...(done.pr ? { pullRequestUrl: `${base}/discussions/${done.pr}` } : {}) },
  };
}

function tree(ctx: Ctx, id: string, rev: string, prefix: string): Out {
  const files = [...ctx.hub.store.resolve(readableRepo(ctx, id), rev).files.values()];
  const recursive = ctx.url.searchParams.get('recursive') === 'true';
  const entries = new Map<string, object>();
  for (const f of files.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (prefix && !f.path.startsWith(`${prefix}/`)) continue;
    const rest = prefix ? f.path.slice(prefix.length + 1) : f.path;
    const dirs = rest.split('/').slice(0, -1);
    for (let i = 0; i < (recursive ? dirs.length : Math.min(1, dirs.length)); i++) {
      const dir = [prefix, ...dirs.slice(0, i + 1)].filter(Boolean).join('/');
      entries.set(dir, { type: 'directory', path: dir, size: 0, oid: '0'.repeat(40) });
    }
    if (recursive || dirs.length === 0) {
      entries.set(f.path, { type: 'file', path: f.path, size: f.size, oid: f.oid, ...(f.lfsSha256 ? { lfs: { oid: f.lfsSha256, size: f.size, pointerSize: f.pointerSize } } : {}) });
    }
  }
  const all = [...entries.values()];
  const cursor = Number(ctx.url.searchParams.get('cursor') ?? 0);
  const page = all.slice(cursor, cursor + ctx.pageSize);
  const next = new URL(ctx.url);
  next.searchParams.set('cursor', String(cursor + ctx.pageSize));
  return { json: page, headers: cursor + ctx.pageSize < all.length ? { Link: `<${next.href}>; rel="next"` } : {} };
}

function resolveFile(ctx: Ctx, id: string, rev: string, path: string): Out {
  const store = ctx.hub.store;
  const file = store.resolve(readableRepo(ctx, id), rev).files.get(path);
  if (!file) throw new HubError(404, `Entry not found: ${path}`);
  const bytes = store.read(file);
  const headers = { ETag: `"${file.lfsSha256 ?? file.oid}"`, 'Accept-Ranges': 'bytes' };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(ctx.headers.range ?? ''));
  if (!range) return { raw: bytes, contentType: 'application/octet-stream', headers };
  const start = Number(range[1]);
  const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
  return { status: 206, raw: bytes.subarray(start, end + 1), contentType: 'application/octet-stream', headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}` } };
}

export function routeRequest(req: { method: string; pathname: string }): Route {
  const p = req.pathname;
  const d = decodeURIComponent;
  const route = (kind: Kind, m: RegExpExecArray | null, handle: (m: string[]) => Route['handle'], rev = (m: string[]) => d(m[3] ?? '')): Route | undefined =>
    m ? { kind, repo: `${d(m[1]!)}/${d(m[2]!)}`, rev: rev([...m]), handle: handle([...m].map((s) => (s === undefined ? '' : d(s)))) } : undefined;
  const isGet = req.method === 'GET';
  const isPost = req.method === 'POST';
  const found =
    (isGet && route('repo-info', new RegExp(`^/api/datasets/${REPO}$`).exec(p), (m) => (ctx) => info(ctx, `${m[1]}/${m[2]}`, 'main'), () => 'main')) ||
    (isGet && route('revision-info', new RegExp(`^/api/datasets/${REPO}/revision/${SEG}$`).exec(p), (m) => (ctx) => info(ctx, `${m[1]}/${m[2]}`, m[3]!))) ||
    (isPost && p === '/api/repos/create' && { kind: 'create' as const, repo: '', rev: '', handle: (ctx: Ctx) => {
      needAuth(ctx);
      const body = json(ctx.body);
      const id = `${body.organization}/${body.name}`;
      if (body.type !== 'dataset') throw new HubError(400, 'stand-in only hosts datasets');
      ctx.hub.store.createRepo({ id, private: body.visibility === 'private' });
      return { json: { url: `${ctx.hub.url}/datasets/${id}`, id } };
    } }) ||
    (isPost && route('branch', new RegExp(`^/api/datasets/${REPO}/branch/${SEG}$`).exec(p), (m) => (ctx) => {
      needAuth(ctx);
      const store = ctx.hub.store;
      const repo = store.repo(`${m[1]}/${m[2]}`);
      const from = store.resolve(repo, json(ctx.body).startingPoint ?? 'main');
      repo.refs.set(m[3]!, from.oid);
      return { json: {} };
    })) ||
    (isPost && route('preupload', new RegExp(`^/api/datasets/${REPO}/preupload/${SEG}$`).exec(p), (m) => (ctx) => preupload(ctx, `${m[1]}/${m[2]}`, m[3]!))) ||
    (isPost && route('batch', new RegExp(`^/datasets/${REPO}\\.git/info/lfs/objects/batch$`).exec(p), () => (ctx) => (needAuth(ctx), { json: ctx.lfs.batch(json(ctx.body)), contentType: 'application/vnd.git-lfs+json' }))) ||
    (req.method === 'PUT' && route('upload', /^\/__lfs\/basic\/(\w+)\/(\d+)$/.exec(p), (m) => (ctx) => (ctx.lfs.putBasic({ oid: m[1]!, size: Number(m[2]), bytes: ctx.body }), {}), () => '')) ||
    (req.method === 'PUT' && route('part', /^\/__lfs\/part\/(\w+)\/(\d+)$/.exec(p), (m) => (ctx) => ({ headers: { ETag: ctx.lfs.putPart({ id: m[1]!, part: Number(m[2]), bytes: ctx.body }) } }), () => '')) ||
    (isPost && route('complete', /^\/__lfs\/complete\/(\w+)()$/.exec(p), (m) => (ctx) => (ctx.lfs.complete({ id: m[1]!, body: json(ctx.body) }), { json: {} }), () => '')) ||
    (isPost && route('commit', new RegExp(`^/api/datasets/${REPO}/commit/${SEG}$`).exec(p), (m) => (ctx) => commit(ctx, `${m[1]}/${m[2]}`, m[3]!))) ||
    (isGet && route('tree', new RegExp(`^/api/datasets/${REPO}/tree/(refs/pr/\\d+|[^/]+)(?:/(.*))?$`).exec(p), (m) => (ctx) => tree(ctx, `${m[1]}/${m[2]}`, m[3]!, m[4] ?? ''))) ||
    (isGet && route('resolve', new RegExp(`^/datasets/${REPO}/resolve/${SEG}/(.+)$`).exec(p), (m) => (ctx) => resolveFile(ctx, `${m[1]}/${m[2]}`, m[3]!, m[4]!)));
  return found || { kind: 'unknown', repo: '', rev: '', handle: () => ({ status: 404, json: { error: `stand-in: no route for ${req.method} ${p}` } }) };
}
