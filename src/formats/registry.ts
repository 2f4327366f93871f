import type { AdapterInput, FormatAdapter } from './adapter.js';
import { alpacaFormat } from './alpaca.js';
import { chatmlTextFormat } from './chatml-text.js';
import { nativeFormat } from './native.js';
import { openaiFormat } from './openai.js';
import { promptCompletionFormat } from './prompt-completion.js';
import { sharegptFormat } from './sharegpt.js';
import { own } from './problem.js';

/** Detection order matters: chatmill's own records also have `messages`, so they are tried first. */
export const FORMATS: FormatAdapter[] = [nativeFormat, openaiFormat, sharegptFormat, chatmlTextFormat, alpacaFormat, promptCompletionFormat];

export const FORMAT_NAMES = FORMATS.map((f) => f.name);

export function formatByName(name: string): FormatAdapter | undefined {
  return FORMATS.find((f) => f.name === name);
}

export function detectFormat(input: AdapterInput): FormatAdapter | undefined {
  return FORMATS.find((f) => f.detect(input));
}

/**
 * Preference records (chosen/rejected pairs, rated completions) also carry message lists, so an SFT
 * adapter would read only their prompt. They are turned away with a pointer to `chatmill pairs`.
 */
export function looksLikePreference(record: Record<string, unknown>): boolean {
  const has = (k: string) => Object.hasOwn(record, k);
  return (
    (has('chosen') && has('rejected')) ||
    has('chosen_messages') ||
    has('completions') ||
    // OpenAI preference fine-tuning; pairwise judgments (AlpacaEval); TRL unpaired preference (KTO).
    (has('preferred_output') && has('non_preferred_output')) ||
    (has('output_1') && has('output_2')) ||
    (has('completion') && typeof own(record, 'label') === 'boolean')
  );
}

/** A hint for records no SFT format matches, so the reject message says what to do instead. */
export function unknownFormatHint(record: Record<string, unknown>): string {
  const has = (k: string) => Object.hasOwn(record, k);
  if (looksLikePreference(record)) return 'looks like preference data (chosen/rejected, preferred/non-preferred outputs, a judged pair or a labelled completion); use `chatmill pairs`';
  if (has('input_ids')) return 'looks already tokenized (input_ids); chatmill needs text';
  if (Array.isArray(own(record, 'turns'))) return 'has `turns` but no assistant answers (a question set, e.g. MT-Bench)';
  const keys = Object.keys(record).slice(0, 8).join(', ');
  return `no known shape matches keys {${keys}}; map your fields with \`columns\` in a pipeline file`;
}
