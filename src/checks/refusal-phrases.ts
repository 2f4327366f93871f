/**
 * The phrases the refusals stage looks for in assistant turns, matched case-insensitively with curly and straight
 * apostrophes read alike. docs/curation.md lists them; a pipeline extends them (`phrases:`) or replaces them
 * (`replace_phrases: true`).
 */
export const DEFAULT_PHRASES = {
  refusal: [
    "I'm sorry, but I can't",
    "I'm sorry, but I cannot",
    'I am sorry, but I cannot',
    "I'm sorry, I can't",
    'I cannot fulfill',
    "I can't fulfill",
    'I cannot comply',
    "I can't comply",
    'I cannot assist with that',
    "I can't assist with that",
    'I cannot help with that',
    "I can't help with that",
    "I'm unable to assist with",
    "I'm not able to help with that",
    "I won't be able to help with",
    'I must decline',
    'I apologize, but I cannot',
  ],
  model_self_reference: [
    'As an AI language model',
    'As a language model',
    'As a large language model',
    'As an AI assistant',
    'As an AI developed by',
    'I am ChatGPT',
    "I'm ChatGPT",
    'developed by OpenAI',
    'trained by OpenAI',
    'created by OpenAI',
    'my knowledge cutoff',
    'my training data only goes up to',
  ],
} as const;

export type PhraseKind = keyof typeof DEFAULT_PHRASES;
