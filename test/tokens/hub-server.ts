import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny Hub on 127.0.0.1 serving model files the way @huggingface/hub's downloadFileToCacheDir reads
 * them: POST /api/models/{repo}/paths-info/{rev} and GET /{repo}/resolve/{rev}/{path} with Range.
 */
export interface MiniHub {
  url: string;
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startMiniHub(opts: { repo: string; files: Record<string, Buffer> }): Promise<MiniHub> {
  const authorizations: (string | undefined)[] = [];
  const commit = createHash('sha1').update(opts.repo).digest('hex');
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    authorizations.push(req.headers.authorization);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = await new Promise<string>((done) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => done(b));
    });
    const infoPrefix = `/api/models/${opts.repo}/paths-info/`;
    if (req.method === 'POST' && path.startsWith(infoPrefix)) {
      const wanted: string[] = JSON.parse(body).paths;
      const out = wanted.filter((p) => opts.files[p]).map((p) => ({
        type: 'file', path: p, size: opts.files[p].length,
        oid: createHash('sha1').update(opts.files[p]).digest('hex'),
        lastCommit: { id: commit, title: 'add', date: '2024-01-01T00:00:00Z' },
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    const m = new RegExp(`^/${opts.repo}/resolve/[^/]+/(.+)$`).exec(path);
    const file = m ? opts.files[m[1]] : undefined;
    if (!file) {
      res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' }).end('{}');
      return;
    }
    const etag = `"${createHash('sha1').update(file).digest('hex')}"`;
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    if (!range) {
      res.writeHead(200, { 'Content-Length': file.length, ETag: etag }).end(file);
      return;
    }
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), file.length - 1) : file.length - 1;
    res.writeHead(206, { ETag: etag, 'Content-Range': `bytes ${start}-${end}/${file.length}`, 'Content-Length': end - start + 1 }).end(file.subarray(start, end + 1));
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
