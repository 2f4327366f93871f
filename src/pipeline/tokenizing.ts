import type { z } from 'zod';
import type { Conversation } from '../../schemas/chatml.js';
import type { TokenizeOptions } from '../../schemas/pipeline.js';
import type { Stage } from '../types.js';
import { AuditAccumulator } from '../tokens/audit.js';
import { resolveTokenizerFiles } from '../tokens/source.js';
import { buildTokenizeStage } from '../parallel/tokenize-stage.js';

/** A tokenize stage (on worker threads by default) with an accumulator for the audit. */
export interface Tokenizing {
  stage: Stage<Conversation, Conversation>;
  maxLength: number;
  accumulator: AuditAccumulator;
}

type Options = z.infer<typeof TokenizeOptions>;

const DEFAULTS: Options = {
  tokenizer: 'hermes3',
  template: 'chatml',
  max_length: 8192,
  over_length: 'keep',
  train_on_eos: 'turn',
  roles_to_train: ['assistant'],
  last_turn_only: false,
};

/**
 * Tokenizing threads, the main one included (N starts N - 1 workers): CHATMILL_WORKERS, else one per CPU
 * (src/parallel/tokenize-stage.ts), unless `how.workers`.
 * `how.onOverLength` replaces the accumulator's count of over-length records: a rank of a distributed run
 * notes them per record, since a record it tokenizes may still turn out to be a duplicate.
 */
export async function loadTokenizing(
  options: Options | null | undefined,
  hubUrl?: string,
  how: { workers?: number; onOverLength?: (conv: Conversation) => void; expectedTokens?: number } = {},
): Promise<Tokenizing> {
  const o = options ?? DEFAULTS;
  const files = await resolveTokenizerFiles({ spec: o.tokenizer, hubUrl, accessToken: process.env.HF_TOKEN });
  // The stage reports over-length records to the accumulator, which needs the vocabulary size the stage learns.
  let accumulator: AuditAccumulator | undefined;
  const setup = await buildTokenizeStage({
    files,
    template: { kind: o.template, date: o.template_date, name: o.chat_template_name },
    policy: { trainOnEos: o.train_on_eos, rolesToTrain: o.roles_to_train, lastTurnOnly: o.last_turn_only },
    maxLength: o.max_length,
    overLength: o.over_length,
    onOverLength: how.onOverLength ?? (() => accumulator?.noteOverLength()),
    workers: how.workers,
    expectedTokens: how.expectedTokens,
  });
  accumulator = new AuditAccumulator({
    tokenizer: { name: files.name, vocab_size: setup.vocabSize, sha256: files.sha256 },
    template: setup.templateName,
    maxLength: o.max_length,
  });
  return { stage: setup.stage, maxLength: o.max_length, accumulator };
}
