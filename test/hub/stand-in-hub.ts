/**
 * A stand-in Hugging Face Hub on 127.0.0.1 (random port), implementing exactly the endpoints
 * @huggingface/hub 2.17.5 calls when we push: repo info/create, branch create, preupload, the LFS batch
 * API (basic + multipart) and its storage, the ndjson commit endpoint (with parentCommit → 412), the
 * paginated tree listing and `resolve` with Range. Everything lives in memory. Faults are injected per
 * request through `hub.faults`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandInLfs } from './stand-in-lfs.js';
import { HubError, HubStore, type CommitOp } from './stand-in-store.js';
import { routeRequest, type Route } from './stand-in-routes.js';

export interface FaultRequest {
  kind: Route['kind'];
  method: string;
  path: string;
  /** 1-based count of requests of this kind so far (including this one). */
  count: number;
  authorization?: string;
}

export type Fault =
  | { status: number; retryAfter?: string; message?: string }
  /** Destroy the socket (after the first body chunk when there is a body). */
  | { drop: true }
  /** Handle the request fully, then destroy the socket instead of answering (the response is lost). */
  | { dropAfterHandling: true }
  /** Commit requests only: another client commits this op to the same branch first. */
  | { concurrent: CommitOp };

export interface StandInOptions {
  token: string;
  /** Tree page size (the client follows Link: rel="next"). */
  pageSize?: number;
  multipartThreshold?: number;
  chunkSize?: number;
}

export interface RequestLog {
  kind: Route['kind'];
  method: string;
  path: string;
  status: number;
}

export interface StandInHub {
  url: string;
  store: HubStore;
  lfs: StandInLfs;
  requests: RequestLog[];
  faults?: (req: FaultRequest) => Fault | undefined;
  count(kind: Route['kind'], status?: number): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, drop: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (drop) {
        req.socket.destroy(); // the connection dies mid-upload
        reject(new Error('dropped'));
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (drop) req.socket.destroy(); // empty body: drop the connection anyway
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export async function startStandInHub(options: StandInOptions): Promise<StandInHub> {
  const store = new HubStore();
  const counts = new Map<string, number>();
  const hub = { store, requests: [] as RequestLog[] } as StandInHub;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', hub.url);
    const route = routeRequest({ method: req.method ?? 'GET', pathname: url.pathname });
    const count = (counts.get(route.kind) ?? 0) + 1;
    counts.set(route.kind, count);
    const log: RequestLog = { kind: route.kind, method: req.method ?? 'GET', path: url.pathname, status: 0 };
    hub.requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    const fault = hub.faults?.({ kind: route.kind, method: log.method, path: url.pathname, count, authorization: req.headers.authorization });

    if (fault && 'drop' in fault) {
      log.status = -1;
      if (['PUT', 'POST'].includes(log.method)) await readBody(req, true).catch(() => undefined);
      else req.socket.destroy();
      return;
    }
    const body = await readBody(req, false);
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}) });
      res.end(JSON.stringify({ error: fault.message ?? `injected fault ${fault.status}` }));
      return;
    }
    if (fault && 'concurrent' in fault && route.kind === 'commit') {
      store.concurrentCommit({ repoId: route.repo, ref: route.rev, op: fault.concurrent });
    }
    try {
      const authorized = req.headers.authorization === `Bearer ${options.token}`;
      const out = await route.handle({ hub, lfs: hub.lfs, url, body, authorized, headers: req.headers, pageSize: options.pageSize ?? 50 });
      if (fault && 'dropAfterHandling' in fault) {
        log.status = -2;
        req.socket.destroy();
        return;
      }
      res.writeHead(out.status ?? 200, { 'Content-Type': out.contentType ?? 'application/json', ...out.headers });
      res.end(out.raw ?? (out.json === undefined ? '' : JSON.stringify(out.json)));
    } catch (err) {
      const status = err instanceof HubError ? err.status : 500;
      res.writeHead(status, { 'Content-Type': 'application/json', ...(status === 404 ? { 'X-Error-Code': 'EntryNotFound' } : {}) });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.lfs = new StandInLfs(store, {
    baseUrl: hub.url,
    multipartThreshold: options.multipartThreshold ?? 5 * 1024 * 1024,
    chunkSize: options.chunkSize ?? 1024 * 1024,
  });
  hub.count = (kind, status) => hub.requests.filter((r) => r.kind === kind && (status === undefined || r.status === status)).length;
  hub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hub;
}
