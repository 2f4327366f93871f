import type { Stage } from '../types.js';
import { AuditAccumulator } from '../tokens/audit.js';
import type { BuildHow } from '../pipeline/sft-stages.js';

/**
 * What the audit needs of a tokenize entry's tokenizer: its name, vocabulary size and hash, the template's
 * name and the max length. A map rank loads the tokenizer and notes these; decide and merge only replay the
 * counts map made (the records carry their token counts), so they build the audit's accumulator from the
 * note instead of loading the tokenizer again (about 0.5 s per tokenizer per process).
 */
export interface TokenizerIdentity {
  tokenizer: { name: string; vocab_size: number; sha256: string };
  template: string;
  maxLength: number;
}

/** For a map rank: load each tokenizer as usual and note its identity, in the order of the tokenize entries. */
export function notingTokenizers(into: TokenizerIdentity[]): NonNullable<BuildHow['tokenizing']> {
  return async (_options, load) => {
    const loaded = await load();
    // An empty accumulator's result is cheap and holds exactly the identity the audit prints.
    const { tokenizer, template } = loaded.accumulator.result();
    into.push({ tokenizer, template, maxLength: loaded.maxLength });
    return loaded;
  };
}

/** For decide and merge: stand-ins, in the order of the tokenize entries, whose stage must never run. */
export function standInTokenizers(dataset: string, noted: TokenizerIdentity[] | undefined): NonNullable<BuildHow['tokenizing']> {
  let next = 0;
  return async () => {
    const id = noted?.[next++];
    if (!id) throw new Error(`dataset ${dataset}: no map rank noted its tokenizer (the map results predate this chatmill, or the dataset has no input): run the map phase again with --restart`);
    const stage: Stage<any, any> = {
      name: 'tokenize',
      run() {
        throw new Error('tokenize: decide and merge replay the counts map made; this stand-in never tokenizes');
      },
    };
    return { stage, maxLength: id.maxLength, accumulator: new AuditAccumulator({ tokenizer: id.tokenizer, template: id.template, maxLength: id.maxLength }) };
  };
}
