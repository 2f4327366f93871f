/**
 * A tokenize worker thread: views the compiled tokenizer the main thread shares (or, for a tokenizer the fast
 * path does not serve, builds the library's from tokenizer.json text), builds its template once, then answers
 * batches of conversations with packed token-count decisions (src/parallel/tokenize-protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { CompiledTokenizer } from '../tokens/compiled.js';
import { TokenEncoder } from '../tokens/encoder.js';
import { makeTemplate } from '../tokens/template.js';
import { decideTokenize, type DecideOptions } from '../tokens/stage.js';
import { BATCHES_ANSWERED, WORKERS_STARTED, packDecisions, type TokenizeWorkerData, type TokenizeWorkerInfo, type TokenizeWorkerMessage } from './tokenize-protocol.js';
import type { WorkerMessage } from './pool.js';

const port = parentPort!;
type Msg = WorkerMessage<TokenizeWorkerInfo, ReturnType<typeof packDecisions>>;

let progress: Int32Array | undefined;
let ctx: DecideOptions;

/** Build the tokenizer and template from the first message (WorkerPool.start), then report ready or the error. */
function init(data: TokenizeWorkerData): void {
  progress = data.progress ? new Int32Array(data.progress) : undefined;
  try {
    const base = { name: data.name, sha256: data.sha256, config: data.config };
    const tokenizer = data.compiled
      ? // The main thread checked these bytes when it read them; here they are only viewed.
        new TokenEncoder({ ...base, compiled: CompiledTokenizer.fromBuffer(data.compiled, { verify: false }), json: {} })
      : new TokenEncoder({ ...base, json: JSON.parse(data.jsonText ?? '{}') });
    const template = makeTemplate({ kind: data.template.kind, encoder: tokenizer, date: data.template.date, chatTemplateName: data.template.name });
    ctx = { tokenizer, template, policy: data.policy, maxLength: data.maxLength, overLength: data.overLength };
    // Counted before the message: the main thread reads the count and may post a job before it reads the message.
    if (progress) Atomics.add(progress, WORKERS_STARTED, 1);
    port.postMessage({ type: 'ready', info: { vocabSize: tokenizer.vocabSize, hasOffsets: tokenizer.hasOffsets, templateName: template.name } } satisfies Msg);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'init-error', name: e.name, message: e.message } satisfies Msg);
  }
}

port.on('message', (msg: TokenizeWorkerMessage) => {
  if ('init' in msg) return init(msg.init);
  if ('warm' in msg) {
    // Before any job (see WorkerPool.broadcast); a start-up failure was already reported, so ctx may be unset.
    ctx?.tokenizer.warmCache(msg.warm);
    return;
  }
  const { id, req } = msg;
  try {
    const decisions = req.map(([messages, tools]) => decideTokenize(ctx, { messages, tools } as Parameters<typeof decideTokenize>[1]));
    const result = packDecisions(decisions);
    port.postMessage({ type: 'done', id, result } satisfies Msg, [result.nums.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'failed', id, name: e.name, message: e.message, stack: e.stack } satisfies Msg);
  }
  if (progress) Atomics.add(progress, BATCHES_ANSWERED, 1);
});
