import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Conversation } from '../../schemas/chatml.js';
import type { Keep, Stage } from '../types.js';
import { UsageError } from '../types.js';
import { TokenEncoder } from '../tokens/encoder.js';
import type { MaskPolicy } from '../tokens/masks.js';
import type { TokenizerFiles } from '../tokens/source.js';
import { applyDecision, decideTokenize, tokenizeStage, type DecideOptions, type OverLengthPolicy } from '../tokens/stage.js';
import { makeTemplate, type ChatTemplate } from '../tokens/template.js';
import { orderedBatchStage } from './ordered-map.js';
import { WorkerPool, WorkerError } from './pool.js';
import { BATCHES_ANSWERED, PROGRESS_SLOTS, WORKERS_STARTED, unpackDecisions, type PackedDecisions, type TokenizeJob, type TokenizeWorkerData, type TokenizeWorkerInfo, type TokenizeWorkerMessage } from './tokenize-protocol.js';

export interface TokenizeSetupOptions {
  files: TokenizerFiles;
  template: { kind: 'chatml' | 'tokenizer'; date?: string; name?: string };
  policy: MaskPolicy;
  maxLength: number;
  overLength: OverLengthPolicy;
  /**
   * Threads that share the work; 1 tokenizes on this thread. Default: CHATMILL_WORKERS, else the number of CPUs.
   * With compiled tables this thread counts as one of them (it reads, parses and validates): N starts N - 1 workers.
   */
  workers?: number;
  onOverLength?: (conv: Conversation) => void;
  /** Tokens counted on this thread before workers start (default CHATMILL_INLINE_TOKENS, else INLINE_TOKENS; 0: workers from the first batch). */
  inlineTokens?: number;
  /**
   * About how many tokens the input holds, when the caller can tell (expectedTokensOfFiles). At twice the inline
   * limit or more, the workers start with the first batch instead of after the inline phase: their start-up then
   * overlaps this thread's own start instead of beginning half a second into a run that certainly needs them.
   */
  expectedTokens?: number;
  /**
   * Worker threads already started by `startTokenizeWorkers` (with the same `workers`), while the caller loaded the
   * tokenizer: the stage gives them their data at once instead of starting threads of its own.
   */
  started?: TokenizeWorkers;
}

/** Tokenize worker threads started ahead of the stage (startTokenizeWorkers); opaque to callers. */
export type TokenizeWorkers = WorkerPool<TokenizeJob, PackedDecisions, TokenizeWorkerInfo>;

export interface TokenizeSetup {
  stage: Stage<Conversation, Conversation>;
  vocabSize: number;
  templateName: string;
  /** Worker threads this stage may use (0: this thread only); with compiled tables they start only for a big enough input. */
  workers: number;
  /** Worker threads started so far. */
  started(): number;
}

/** Default worker count: `CHATMILL_WORKERS` when set to a positive whole number, else one per CPU. */
export function defaultWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CHATMILL_WORKERS;
  if (v === undefined || v === '') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`CHATMILL_WORKERS must be a positive whole number, got ${JSON.stringify(v)}`);
  return n;
}

/** The compiled worker script: beside this file in dist/, or dist/ when this file runs from src/ (tests). */
function workerScript(): URL | undefined {
  for (const rel of ['./tokenize-worker.js', '../../dist/src/parallel/tokenize-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

const notByteLevel = (name: string) => new UsageError(`tokenizer ${name} is not byte-level BPE; response/instruction masks need token offsets (see docs/tokens.md)`);

/**
 * Tokens counted on this thread before worker threads start. Starting a worker costs a thread and its module
 * imports (~50 ms of CPU each); below this much work (about 0.3 s on one core) a run finishes sooner without them.
 */
export const INLINE_TOKENS = 600_000;

/**
 * Bytes of JSON Lines per token, rounded up from what the bench corpora hold (4.7 for real-sentence conversations,
 * 4.0 for the phrase-bank ones): an estimate that errs low, so a guess never starts workers for a small input.
 */
const BYTES_PER_TOKEN = 5;

/**
 * How many bytes of JSON text a byte of gzip holds, at least: JSON text compresses 2.5× (the real-sentence bench
 * corpus) to 4× and more (the phrase-bank one); only incompressible content (base64 images) comes near 1.3×.
 */
const GZIP_RATIO = 2;

/**
 * An estimate of the tokens in these input files, from the sizes of the JSON and JSON Lines ones, plain or gzipped
 * (a gzipped file counts GZIP_RATIO times its size). Parquet files, stdin and anything that cannot be stat'ed count
 * 0: the inline phase then decides as before.
 */
export function expectedTokensOfFiles(files: readonly string[]): number {
  let bytes = 0;
  for (const f of files) {
    const json = /\.(jsonl|ndjson|json)(\.gz)?$/i.exec(f);
    if (!json) continue;
    try {
      bytes += statSync(f).size * (json[2] ? GZIP_RATIO : 1);
    } catch {
      // Unreadable: the reader reports it.
    }
  }
  return Math.floor(bytes / BYTES_PER_TOKEN);
}

/** INLINE_TOKENS, or CHATMILL_INLINE_TOKENS when set (0: workers from the first batch, as a test or a tuning run wants). */
export function inlineTokensFrom(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CHATMILL_INLINE_TOKENS;
  if (v === undefined || v === '') return INLINE_TOKENS;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`CHATMILL_INLINE_TOKENS must be a whole number, 0 or more, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * A tokenize worker's garbage is short-lived (each record's ids and masks die with its batch), so a small young
 * generation is collected often and cheaply. V8's default (up to 3 × 16 MB semi-spaces per isolate) let each worker
 * hold ~25 MB more: 326 → 271 MB peak RSS on 20,000 real-sentence conversations, at about the same CPU time.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * The tokenize stage. With compiled tables (the common case) it starts on this thread and starts worker threads
 * only once the input has shown itself big enough to pay for them (INLINE_TOKENS); the workers view the same
 * shared tables, so none holds a copy. A tokenizer the fast path does not serve is built by every worker from
 * tokenizer.json, as before. With one worker, or no compiled worker script, everything runs on this thread.
 */
export async function buildTokenizeStage(o: TokenizeSetupOptions): Promise<TokenizeSetup> {
  const workers = o.workers ?? defaultWorkers();
  const script = workers > 1 ? workerScript() : undefined;
  if (o.started && (!script || !o.files.compiled || o.started.size !== workers - 1)) {
    // Started for a compiled tokenizer and N - 1 workers; this setup wants something else (rare: a tokenizer the
    // fast path does not serve), so those threads go and the stage starts its own as before.
    await o.started.close();
    o = { ...o, started: undefined };
  }
  if (!script || o.files.compiled) {
    const encoder = new TokenEncoder(o.files);
    if (!encoder.hasOffsets) throw notByteLevel(o.files.name);
    const template = makeTemplate({ kind: o.template.kind, encoder, date: o.template.date, chatTemplateName: o.template.name });
    const policy = { ...o.policy, maxLength: o.maxLength, overLength: o.overLength, onOverLength: o.onOverLength };
    if (script) return { ...lazyPoolStage(o, script, workers - 1, encoder, template), vocabSize: encoder.vocabSize, templateName: template.name, workers: workers - 1 };
    return { stage: tokenizeStage({ tokenizer: encoder, template, ...policy }), vocabSize: encoder.vocabSize, templateName: template.name, workers: 0, started: () => 0 };
  }
  return eagerPoolStage(o, script, workers);
}

function workerDataOf(o: TokenizeSetupOptions): TokenizeWorkerData {
  const compiled = o.files.compiled?.buffer;
  return {
    name: o.files.name,
    sha256: o.files.sha256,
    ...(compiled instanceof SharedArrayBuffer ? { compiled } : { jsonText: JSON.stringify(o.files.json) }),
    config: o.files.config,
    template: o.template,
    policy: o.policy,
    maxLength: o.maxLength,
    overLength: o.overLength,
  };
}

const newPool = (script: URL, size: number): TokenizeWorkers => new WorkerPool({ script, size, resourceLimits: WORKER_LIMITS });

/** Whether an input of about `expectedTokens` is big enough to start the workers with the first batch. */
const knownBig = (expectedTokens: number | undefined, inlineLimit: number) => (expectedTokens ?? 0) >= 2 * inlineLimit;

/**
 * For an input known to be big (as buildTokenizeStage decides it, from the same `expectedTokens`), start the N - 1
 * tokenize worker threads of a run of N threads (`workers`, default as buildTokenizeStage's) before the tokenizer is
 * loaded: node's own start-up of a thread and the worker's imports take ~0.15 s, which then overlaps this thread's
 * loading instead of following it. Pass the result to buildTokenizeStage as `started`. Undefined when the input is
 * not known to be big or there would be no worker (1 thread, or no worker script).
 */
export function startTokenizeWorkers(o: { workers?: number; expectedTokens?: number; inlineTokens?: number }): TokenizeWorkers | undefined {
  const workers = o.workers ?? defaultWorkers();
  if (!knownBig(o.expectedTokens, o.inlineTokens ?? inlineTokensFrom())) return undefined;
  // A count the caller has not checked yet (--workers 1.5) starts nothing; its check reports it.
  const script = Number.isInteger(workers) && workers > 1 ? workerScript() : undefined;
  return script ? newPool(script, workers - 1) : undefined;
}

type Decision = ReturnType<typeof unpackDecisions>[number];
const jobOf = (items: Keep<Conversation>[]): TokenizeJob => items.map((i) => [i.value.messages, i.value.tools]);

async function startedPool(pool: TokenizeWorkers): Promise<void> {
  try {
    await pool.ready();
  } catch (err) {
    await pool.close();
    if (err instanceof WorkerError && err.name === 'UsageError') throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Compiled tables: this thread until INLINE_TOKENS, then `workers` threads over the shared tables, with this thread
 * taking a batch itself whenever they fall behind. The caller passes
 * one fewer than the threads it may use: this thread stays busy reading, parsing and validating (about as much CPU
 * as one tokenizing worker), so a worker per CPU oversubscribed the cores. On 2 CPUs and 20,000 real-sentence
 * conversations, one worker instead of two took ~0.9 s less CPU in total (three more isolates' start-up, GC and
 * cache warm-up) and ~25 MB less peak RSS.
 */
function lazyPoolStage(o: TokenizeSetupOptions, script: URL, workers: number, encoder: TokenEncoder, template: ChatTemplate): { stage: Stage<Conversation, Conversation>; started(): number } {
  const ctx: DecideOptions = { tokenizer: encoder, template, policy: o.policy, maxLength: o.maxLength, overLength: o.overLength };
  const onOverLength = o.onOverLength;
  const inlineLimit = o.inlineTokens ?? inlineTokensFrom();
  // A big input known from the start: count its inline phase as done, so the workers start with the first batch.
  let inlineTokens = knownBig(o.expectedTokens, inlineLimit) ? inlineLimit : 0;
  let pool: TokenizeWorkers | undefined;
  let ready: Promise<void> | undefined;
  let startFailure: unknown;
  /**
   * Shared with the workers, who write it: how many batches they have answered, and how many of them have started.
   * Their messages reach this thread only when its event loop turns (every ~1 MB of input read), so counts kept
   * from messages lagged by several batches: the workers sat idle while this thread thought them busy.
   */
  const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 4));
  /** Batches posted to the workers. */
  let sent = 0;
  /** Whether every worker has started and been sent this thread's pre-token cache. */
  let up = false;
  const workersUp = (): boolean => {
    if (up) return true;
    if (Atomics.load(progress, WORKERS_STARTED) < workers) return false;
    // Each worker gets this thread's pre-token cache before its first job: it holds the common pieces of everything
    // tokenized so far, which a cold worker would merge again.
    const warm = encoder.cacheSnapshot();
    if (warm) pool!.broadcast({ warm } satisfies TokenizeWorkerMessage);
    up = true;
    return true;
  };
  const startPool = () => {
    const started = o.started ?? newPool(script, workers);
    started.start({ init: { ...workerDataOf(o), progress: progress.buffer as SharedArrayBuffer } } satisfies TokenizeWorkerMessage);
    ready = startedPool(started);
    ready.catch((err: unknown) => {
      startFailure ??= err;
    });
    return started;
  };
  // An input known to be big (or workers already started): the workers start now, so they load while this thread
  // opens and reads the input.
  if (inlineTokens >= inlineLimit || o.started) pool = startPool();
  const stage = orderedBatchStage<Conversation, Conversation, Decision>({
    name: 'tokenize',
    batchSize: BATCH_RECORDS,
    maxInFlight: workers * REORDER_BATCHES_PER_WORKER,
    process: async (items) => {
      if (!pool && inlineTokens >= inlineLimit) pool = startPool();
      if (startFailure) throw startFailure;
      // With no inline phase asked for (inlineTokens 0) the workers start with the first batch: wait for them.
      if (pool && inlineLimit === 0) await ready;
      // While the workers start (module loading, ~0.1 s of CPU each) this thread goes on tokenizing, so their
      // start-up overlaps useful work instead of stalling the run. A worker that fails to start never counts
      // itself started; its error arrives as a message and is thrown at the next batch.
      if (!pool || !workersUp()) {
        const decisions = items.map((i) => decideTokenize(ctx, i.value));
        for (const d of decisions) if (d.kind === 'keep' || d.kind === 'cut') inlineTokens += d.counts.n_tokens ?? 0;
        return decisions;
      }
      // Decided now, before this batch is posted or tokenized, and without waiting: the stage launches the next
      // batch as soon as this call returns its promise.
      if (sent - Atomics.load(progress, BATCHES_ANSWERED) >= workers * QUEUED_PER_WORKER) {
        // The workers are behind (QUEUED_PER_WORKER batches each still queued): this thread takes the batch.
        return items.map((i) => decideTokenize(ctx, i.value));
      }
      sent++;
      return unpackDecisions(await pool.run(jobOf(items)));
    },
    outcome: (item, decision) => applyDecision(item, decision, onOverLength),
    finish: async () => {
      await pool?.close();
    },
  });
  return { stage, started: () => pool?.size ?? 0 };
}

/** Records per batch on the compiled path: small batches let the split between this thread and the workers follow their speeds closely. */
const BATCH_RECORDS = 32;
/**
 * Batches a worker may have queued before this thread takes the next batch itself: enough to keep a worker busy
 * while this thread reads, parses and tokenizes a batch of its own.
 */
const QUEUED_PER_WORKER = 4;
/**
 * How many batches may wait, per worker, for the oldest unfinished one before the stage stops pulling input: this
 * thread's own batches finish at once and queue behind a worker's. The share each side takes then follows how
 * fast each goes. A buffer of 3 made this thread wait on the worker at every third batch, which fixed the split at
 * about one batch in three whatever the speeds, and left the worker idle a quarter of the time.
 * 16 batches of 32 records are a few MB.
 */
const REORDER_BATCHES_PER_WORKER = 16;

/** A tokenizer the fast path does not serve: every worker builds the library's from tokenizer.json, from the start. */
async function eagerPoolStage(o: TokenizeSetupOptions, script: URL, workers: number): Promise<TokenizeSetup> {
  const pool = newPool(script, workers);
  pool.start({ init: workerDataOf(o) } satisfies TokenizeWorkerMessage);
  await startedPool(pool);
  const [info] = await pool.ready();
  if (!info.hasOffsets) {
    await pool.close();
    throw notByteLevel(o.files.name);
  }
  // Capture only the callback: `o` holds the parsed tokenizer.json, which the main thread no longer needs.
  const onOverLength = o.onOverLength;
  const stage = orderedBatchStage<Conversation, Conversation, Decision>({
    name: 'tokenize',
    batchSize: 64,
    maxInFlight: workers * 3,
    process: async (items) => unpackDecisions(await pool.run(jobOf(items))),
    outcome: (item, decision) => applyDecision(item, decision, onOverLength),
    finish: () => pool.close(),
  });
  return { stage, vocabSize: info.vocabSize, templateName: info.templateName, workers, started: () => pool.size };
}
