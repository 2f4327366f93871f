import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { TokenEncoder } from '../tokens/encoder.js';
import type { MaskPolicy } from '../tokens/masks.js';
import type { TokenizerFiles } from '../tokens/source.js';
import { applyDecision, tokenizeStage, type OverLengthPolicy } from '../tokens/stage.js';
import { makeTemplate } from '../tokens/template.js';
import { orderedBatchStage } from './ordered-map.js';
import { WorkerPool, WorkerError } from './pool.js';
import { unpackDecisions, type PackedDecisions, type TokenizeJob, type TokenizeWorkerData, type TokenizeWorkerInfo } from './tokenize-protocol.js';

export interface TokenizeSetupOptions {
  files: TokenizerFiles;
  template: { kind: 'chatml' | 'tokenizer'; date?: string; name?: string };
  policy: MaskPolicy;
  maxLength: number;
  overLength: OverLengthPolicy;
  /** Worker threads; 1 tokenizes on this thread. Default: CHATMILL_WORKERS, else the number of CPUs. */
  workers?: number;
  onOverLength?: (conv: Conversation) => void;
}

export interface TokenizeSetup {
  stage: Stage<Conversation, Conversation>;
  vocabSize: number;
  templateName: string;
  /** Worker threads in use (0: this thread). */
  workers: number;
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
 * The tokenize stage: on worker threads (each loads the tokenizer once; batches keep their order) or, with one
 * worker or no compiled worker script, on this thread with the same code.
 */
export async function buildTokenizeStage(o: TokenizeSetupOptions): Promise<TokenizeSetup> {
  const workers = o.workers ?? defaultWorkers();
  const script = workers > 1 ? workerScript() : undefined;
  if (!script) {
    const encoder = new TokenEncoder(o.files);
    if (!encoder.hasOffsets) throw notByteLevel(o.files.name);
    const template = makeTemplate({ kind: o.template.kind, encoder, date: o.template.date, chatTemplateName: o.template.name });
    const stage = tokenizeStage({ tokenizer: encoder, template, ...o.policy, maxLength: o.maxLength, overLength: o.overLength, onOverLength: o.onOverLength });
    return { stage, vocabSize: encoder.vocabSize, templateName: template.name, workers: 0 };
  }
  const data: TokenizeWorkerData = {
    name: o.files.name,
    sha256: o.files.sha256,
    jsonText: JSON.stringify(o.files.json),
    config: o.files.config,
    template: o.template,
    policy: o.policy,
    maxLength: o.maxLength,
    overLength: o.overLength,
  };
  const pool = new WorkerPool<TokenizeJob, PackedDecisions, TokenizeWorkerInfo>({ script, size: workers, workerData: data });
  let info: TokenizeWorkerInfo;
  try {
    [info] = await pool.ready();
  } catch (err) {
    await pool.close();
    if (err instanceof WorkerError && err.name === 'UsageError') throw new UsageError(err.message);
    throw err;
  }
  if (!info.hasOffsets) {
    await pool.close();
    throw notByteLevel(o.files.name);
  }
  // Capture only the callback: `o` holds the parsed tokenizer.json, which the main thread no longer needs.
  const onOverLength = o.onOverLength;
  const stage = orderedBatchStage<Conversation, Conversation, ReturnType<typeof unpackDecisions>[number]>({
    name: 'tokenize',
    batchSize: 64,
    maxInFlight: workers * 3,
    process: async (items) => unpackDecisions(await pool.run(items.map((i) => [i.value.messages, i.value.tools]))),
    outcome: (item, decision) => applyDecision(item, decision, onOverLength),
    finish: () => pool.close(),
  });
  return { stage, vocabSize: info.vocabSize, templateName: info.templateName, workers };
}
