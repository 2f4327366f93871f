import { Worker, type ResourceLimits } from 'node:worker_threads';

/** What a pool worker posts: one `ready` (or `init-error`) after start-up, then one `done`/`failed` per job, in order. */
export type WorkerMessage<Info, Res> =
  | { type: 'ready'; info: Info }
  | { type: 'init-error'; name: string; message: string }
  | { type: 'done'; id: number; result: Res }
  | { type: 'failed'; id: number; name: string; message: string; stack?: string };

interface Pending<Res> {
  resolve(r: Res): void;
  reject(e: Error): void;
}

/** An error raised inside a worker, re-created on this thread with its name (so UsageError stays exit 2). */
export class WorkerError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

/**
 * A fixed set of worker threads running one script. Jobs go round-robin; each worker answers its jobs in the
 * order it got them. Workers hold the event loop only while starting or while a job is in flight, so a run that
 * fails half-way still lets the process exit.
 *
 * The threads start (node's own start-up and the script's imports, ~0.15 s) as soon as the pool is made, and then
 * wait for their data, which `start` posts as their first message: a caller can make the pool before it has
 * built what the workers need. Until `start` they do not hold the event loop, so a pool made early for a run that
 * then fails (a bad option, a missing file) never keeps the process alive.
 */
export class WorkerPool<Req, Res, Info = unknown> {
  private readonly workers: Worker[] = [];
  private readonly pending: Map<number, Pending<Res>>[] = [];
  private readonly readyAll: Promise<Info[]>;
  private nextId = 0;
  private turn = 0;
  private failure: Error | undefined;

  constructor(o: { script: URL; size: number; resourceLimits?: ResourceLimits }) {
    const ready: Promise<Info>[] = [];
    for (let w = 0; w < o.size; w++) {
      const worker = new Worker(o.script, { resourceLimits: o.resourceLimits });
      const jobs = new Map<number, Pending<Res>>();
      this.workers.push(worker);
      this.pending.push(jobs);
      ready.push(
        new Promise<Info>((resolve, reject) => {
          worker.on('message', (m: WorkerMessage<Info, Res>) => {
            if (m.type === 'ready') {
              resolve(m.info);
              this.idle(w);
            } else if (m.type === 'init-error') reject(new WorkerError(m.name, m.message));
            else {
              const job = jobs.get(m.id);
              jobs.delete(m.id);
              this.idle(w);
              if (m.type === 'done') job?.resolve(m.result);
              else job?.reject(new WorkerError(m.name, m.message, m.stack));
            }
          });
          const fail = (e: Error) => {
            this.failure ??= e;
            reject(e);
            for (const job of jobs.values()) job.reject(e);
            jobs.clear();
          };
          worker.on('error', fail);
          worker.on('exit', (code) => {
            if (code !== 0) fail(new Error(`worker thread exited with code ${code}`));
          });
          // After the listeners: adding a 'message' listener holds the event loop again.
          worker.unref();
        }),
      );
    }
    this.readyAll = Promise.all(ready);
    this.readyAll.catch(() => undefined); // observed by ready()/run(); never an unhandled rejection
  }

  get size(): number {
    return this.workers.length;
  }

  /** Every worker's start-up report; rejects with the first worker's start-up error. */
  ready(): Promise<Info[]> {
    return this.readyAll;
  }

  private idle(w: number): void {
    if (this.pending[w].size === 0) this.workers[w].unref();
  }

  run(req: Req): Promise<Res> {
    if (this.failure) return Promise.reject(this.failure);
    const w = this.turn;
    this.turn = (this.turn + 1) % this.workers.length;
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      this.pending[w].set(id, { resolve, reject });
      this.workers[w].ref();
      this.workers[w].postMessage({ id, req });
    });
  }

  /**
   * Give the workers their data (posted to every worker as its first message). They hold the event loop from now
   * until they report ready (or fail). Call it once, before any `run` or `broadcast`.
   */
  start(message: unknown): void {
    for (const w of this.workers) {
      w.ref();
      w.postMessage(message);
    }
  }

  /**
   * Post `message` to every worker as it is: no answer is expected. A worker reads its messages in the order they
   * were posted, so whatever is broadcast before a job reaches that worker before the job.
   */
  broadcast(message: unknown): void {
    for (const w of this.workers) w.postMessage(message);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
