import { z } from 'zod';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (no slashes)');
const stringMap = z.record(z.string(), z.string());

/** One input: a file, directory or glob, with optional per-input settings (relative paths are from the pipeline file). */
export const PipelineInput = z.strictObject({
  path: z.string().min(1),
  format: z.string().default('auto').describe('auto, or a name from `chatmill formats`'),
  category: z.string().optional().describe('category for records that carry none'),
  columns: stringMap
    .optional()
    .describe('standard field → field in your records, e.g. {messages: dialog, role: speaker}; in a preference dataset e.g. {prompt: question, chosen: response_j, rejected: response_k}'),
  roles: stringMap.optional().describe('your role names → system/user/assistant/tool, e.g. {bot: assistant} (SFT datasets)'),
});

/**
 * The top-level fields the preference shapes are detected by (docs/pairs.md): what a preference dataset's
 * `columns` may map to. Anything else would be renamed into a field nothing reads, so it is refused up front.
 */
export const PREFERENCE_COLUMNS = [
  'prompt', 'chosen', 'rejected', 'score_chosen', 'score_rejected', 'messages', 'conversations', 'system', 'tools',
  'chosen_messages', 'rejected_messages', 'completion', 'label', 'instruction', 'input', 'question', 'raw_text', 'text',
  'completions', 'responses', 'outputs', 'generations', 'ratings', 'scores', 'rewards', 'ranked', 'ranked_responses', 'ranking',
  'output_1', 'output_2', 'preference', 'preferred_output', 'non_preferred_output',
] as const;

export const ValidateOptions = z.strictObject({
  trim_whitespace: z.boolean().default(false),
  long_turn_chars: z.number().int().positive().default(20_000),
});

export const TokenizeOptions = z.strictObject({
  tokenizer: z.string().default('hermes3').describe('hermes3, llama3, a tokenizer.json path, or a Hub model id'),
  template: z.enum(['chatml', 'tokenizer']).default('chatml'),
  template_date: z.string().optional().describe('date the tokenizer template sees (reproducible counts)'),
  chat_template_name: z.string().optional().describe('with template: tokenizer and named chat templates, force this one (default: tool_use for records with tools, else default)'),
  max_length: z.number().int().positive().default(8192),
  over_length: z.enum(['keep', 'drop', 'truncate']).default('keep'),
  train_on_eos: z.enum(['turn', 'none', 'all']).default('turn'),
  roles_to_train: z.array(z.enum(['system', 'user', 'assistant', 'tool'])).min(1).default(['assistant']),
  last_turn_only: z.boolean().default(false),
});

export const AuditOptions = z.strictObject({
  target_response_share: z.number().min(0).max(1).default(0.69),
  dir: z.string().default('.').describe('where audit.json/md/html go, relative to the output directory'),
});

export const PairsOptions = z.strictObject({
  strategy: z.enum(['best-worst', 'best-random', 'all-pairs']).default('best-worst'),
  min_margin: z.number().min(0).default(0),
  seed: z.number().int().default(0),
  aggregate: z.enum(['mean', 'min', 'max', 'overall']).default('mean'),
  aspect: z.string().optional(),
  kto: z.enum(['unpaired', 'paired']).default('unpaired'),
});

const tokenCount = z.union([z.number().nonnegative(), z.string().regex(/^\s*\d+(\.\d+)?\s*[kKmMbBgG]?\s*$/, 'a count like 390M, 1.5B or 200k')]);

export const MixOptions = z.strictObject({
  target: z
    .union([z.literal('hermes3'), z.record(z.string(), tokenCount)])
    .describe('hermes3, token shares per group summing to 1 ({general: 0.6, ...}), or budgets per group ({general: 200M, ...})'),
  total_tokens: tokenCount.optional().describe('with shares: the total to build; default the largest the data allows within max_epochs'),
  by: z.string().min(1).default('category').describe('category, source, or a meta field'),
  count: z
    .enum(['all', 'response', 'records', 'pairs'])
    .default('all')
    .describe('what budgets count: all tokens (n_tokens), response tokens, or records (pairs: the same, named for a preference dataset, where a record is a pair)'),
  max_epochs: z.number().int().min(1).max(100).default(3).describe('how many times one record may appear, to fill a budget'),
  seed: z.number().int().default(42),
  within: z.string().min(1).default('random').describe('which records a downsampled group keeps: random, longest, shortest, or a numeric meta field (highest first)'),
  others: z.enum(['drop', 'keep']).default('drop').describe('groups not in the target: drop (not_in_target) or keep as they are'),
  strict: z.boolean().default(false).describe('a group that cannot reach its budget is an error (exit 1) instead of a warning'),
});

const RoleList = z.array(z.enum(['system', 'user', 'assistant', 'tool'])).min(1);

export const NearDedupOptions = z.strictObject({
  threshold: z.number().gt(0).max(1).default(0.8).describe('Jaccard similarity of the shingle sets at or above which a record is a near-duplicate'),
  ngram: z.number().int().positive().default(5).describe('shingle size: words, or characters in scripts written without spaces'),
  num_perm: z.number().int().min(1).max(4096).default(128).describe('MinHash values per record'),
  bands: z.number().int().positive().optional().describe('LSH bands (default chosen from threshold: 16 x 8 for 0.8)'),
  rows: z.number().int().positive().optional().describe('LSH rows per band'),
  seed: z.number().int().default(42),
  roles: RoleList.default(['user', 'assistant']).describe('turns compared (system prompts are shared by many records)'),
  max_candidates: z.number().int().positive().default(100).describe('most candidates checked exactly per record'),
  tmp_dir: z.string().optional().describe('where the spill of kept text goes (default the system temp folder)'),
});

export const BenchmarkInput = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), name: z.string().optional(), field: z.string().optional() }),
]);

export const DecontaminateOptions = z.strictObject({
  benchmarks: z.array(BenchmarkInput).min(1).describe('benchmark files in any container chatmill reads; name = file stem, field detected from question/prompt/problem/instruction/input'),
  ngram: z.number().int().positive().default(8),
  threshold: z.number().min(0).lt(1).default(0.5).describe('share of an item\'s n-grams that must occur in the record, strictly exceeded (Tulu 3)'),
  min_words: z.number().int().positive().default(3).describe('items with fewer words are not used'),
  roles: RoleList.default(['user']),
  mode: z.enum(['drop', 'report']).default('drop').describe('drop (reason contaminated) or keep and count the warning contaminated'),
});

export const JsonModeOptions = z.strictObject({
  schema_field: z.string().min(1).default('json_schema').describe('record field (a column mapping) holding the JSON schema, as an object or JSON text; otherwise a <schema>…</schema> block in the system prompt'),
});

export const ToolArgumentsOptions = z.strictObject({});

const PhraseLists = z.strictObject({
  refusal: z.array(z.string().min(1)).optional(),
  model_self_reference: z.array(z.string().min(1)).optional(),
});

export const RefusalsOptions = z.strictObject({
  phrases: PhraseLists.optional().describe('phrases added to the documented lists (docs/curation.md), per kind; matched case-insensitively'),
  replace_phrases: z.boolean().default(false).describe('use only `phrases`, not the documented lists'),
  drop_refusals: z.boolean().default(false).describe('drop refusing records (reason refusal) instead of counting the warning'),
  drop_self_reference: z.boolean().default(false).describe('drop records that speak as another model (reason model_self_reference)'),
  exempt_categories: z.array(z.string()).default(['steering', 'alignment']).describe('categories where refusing is the trained behaviour: not checked'),
});

export const WriteOptions = z.strictObject({
  path: z.string().min(1).describe('JSONL file, relative to the output directory'),
});

export const ExportOptions = z.strictObject({
  config: name.optional().describe('dataset config name; defaults to the dataset name'),
  split: name.default('train'),
  max_shard_size: z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i).default('500MB'),
  compression: z.enum(['zstd', 'snappy']).default('zstd'),
  tool_format: z
    .enum(['structured', 'hermes-text'])
    .default('structured')
    .describe('SFT tool calls as TRL tool_calls / tool turns (structured), or as Hermes <tool_call> text inside content (hermes-text)'),
});

/**
 * One stage: a single key naming the stage, with its options (or `{}` / null for the defaults).
 * Stages run in the order listed, after the inputs are read and normalized.
 */
export const StageEntry = z
  .strictObject({
    validate: ValidateOptions.nullish(),
    dedup: z.strictObject({}).nullish(),
    near_dedup: NearDedupOptions.nullish(),
    decontaminate: DecontaminateOptions.optional(),
    json_mode: JsonModeOptions.nullish(),
    tool_arguments: ToolArgumentsOptions.nullish(),
    refusals: RefusalsOptions.nullish(),
    tokenize: TokenizeOptions.nullish(),
    audit: AuditOptions.nullish(),
    pairs: PairsOptions.nullish(),
    mix: MixOptions.optional(),
    write: WriteOptions.optional(),
    export: ExportOptions.nullish(),
  })
  .refine((o) => Object.keys(o).length === 1, { message: 'each stage entry names exactly one stage' });

export const Dataset = z
  .strictObject({
    kind: z.enum(['sft', 'preference']).default('sft'),
    inputs: z.array(z.union([z.string().min(1), PipelineInput])).min(1),
    stages: z.array(StageEntry).default([]),
  })
  .superRefine((d, ctx) => {
    if (d.kind !== 'preference') return;
    const known: readonly string[] = PREFERENCE_COLUMNS;
    d.inputs.forEach((input, i) => {
      if (typeof input === 'string') return;
      for (const key of Object.keys(input.columns ?? {})) {
        if (!known.includes(key)) {
          ctx.addIssue({ code: 'custom', path: ['inputs', i, 'columns', key], message: `a preference dataset maps its fields to ${known.join(', ')}; "${key}" is none of them` });
        }
      }
      if (input.roles) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'roles'], message: 'roles apply to SFT datasets; preference records use the standard role names' });
    });
  });

export const Pipeline = z.strictObject({
  name: name,
  description: z.string().optional(),
  out: z.string().default('out').describe('output directory, relative to the working directory'),
  limits: z
    .strictObject({
      max_record_bytes: z.number().int().positive().default(64 * 1024 * 1024),
      max_depth: z.number().int().positive().default(100),
    })
    .prefault({}),
  /** Datasets by name; each becomes a config of the exported dataset. */
  datasets: z.record(name, Dataset).refine((d) => Object.keys(d).length > 0, 'define at least one dataset'),
  card: z
    .strictObject({
      title: z.string().optional(),
      license: z.string().optional(),
      language: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
    })
    .optional(),
  push: z
    .strictObject({
      repo: z.string().optional(),
      private: z.boolean().default(false),
      branch: z.string().default('main'),
    })
    .optional(),
});
export type Pipeline = z.infer<typeof Pipeline>;
export type Dataset = z.infer<typeof Dataset>;
export type StageEntry = z.infer<typeof StageEntry>;
export type PipelineInput = z.infer<typeof PipelineInput>;
