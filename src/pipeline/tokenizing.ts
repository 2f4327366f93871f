import type { z } from 'zod';
import type { TokenizeOptions } from '../../schemas/pipeline.js';
import { UsageError } from '../types.js';
import { AuditAccumulator } from '../tokens/audit.js';
import { TokenEncoder } from '../tokens/encoder.js';
import type { MaskPolicy } from '../tokens/masks.js';
import { resolveTokenizerFiles } from '../tokens/source.js';
import type { OverLengthPolicy } from '../tokens/stage.js';
import { makeTemplate, type ChatTemplate } from '../tokens/template.js';

/** A loaded tokenizer with its template, mask policy and an accumulator for the audit. */
export interface Tokenizing {
  encoder: TokenEncoder;
  template: ChatTemplate;
  policy: MaskPolicy;
  maxLength: number;
  overLength: OverLengthPolicy;
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

export async function loadTokenizing(options: Options | null | undefined, hubUrl?: string): Promise<Tokenizing> {
  const o = options ?? DEFAULTS;
  const files = await resolveTokenizerFiles({ spec: o.tokenizer, hubUrl, accessToken: process.env.HF_TOKEN });
  const encoder = new TokenEncoder(files);
  if (!encoder.hasOffsets) throw new UsageError(`tokenizer ${files.name} is not byte-level BPE; masks need token offsets (docs/tokens.md)`);
  const template = makeTemplate({ kind: o.template, encoder, date: o.template_date });
  return {
    encoder,
    template,
    policy: { trainOnEos: o.train_on_eos, rolesToTrain: o.roles_to_train, lastTurnOnly: o.last_turn_only },
    maxLength: o.max_length,
    overLength: o.over_length,
    accumulator: new AuditAccumulator({
      tokenizer: { name: files.name, vocab_size: encoder.vocabSize, sha256: files.sha256 },
      template: template.name,
      maxLength: o.max_length,
    }),
  };
}
