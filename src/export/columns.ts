/**
 * One column list per record kind. The Arrow schema, the Hugging Face `features` and the row mapper all read
 * these lists, so a column is declared once and the three views cannot drift apart.
 */

/**
 * `messages` means list<struct<role string, content string>>, the TRL/ChatML conversational shape with tool
 * calls as Hermes text in `content`. `chat` is a list of JSON objects (the `datasets` feature `List(Json())`),
 * one per turn in TRL's tool-calling shape: `{role, content, tool_calls?, name?, tool_call_id?}`.
 */
export type ColumnType = 'string' | 'int64' | 'float64' | 'bool' | 'messages' | 'chat';

/**
 * How SFT records carry tool calls in the export: `structured` (default) as TRL's `tool_calls` / tool turns,
 * `hermes-text` as `<tool_call>` / `<tool_response>` text inside `content`, for training on Hermes text as is.
 */
export const TOOL_FORMATS = ['structured', 'hermes-text'] as const;
export type ToolFormat = (typeof TOOL_FORMATS)[number];

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export type ExportKind = 'sft' | 'dpo' | 'kto';

const col = (name: string, type: ColumnType): ColumnSpec => ({ name, type });

/**
 * Provenance columns every kind ends with: where the record came from, how it was read, and which appearance
 * of it the row is (`repeat`: null for the record itself, k for the k-th extra copy a `mix` stage added).
 */
const TRACE: ColumnSpec[] = [col('source', 'string'), col('index', 'int64'), col('format', 'string'), col('repeat', 'int64')];

export const SFT_COLUMNS: readonly ColumnSpec[] = [
  col('id', 'string'),
  col('messages', 'messages'),
  col('category', 'string'),
  col('tools', 'string'),
  col('n_tokens', 'int64'),
  col('n_instruction_tokens', 'int64'),
  col('n_response_tokens', 'int64'),
  ...TRACE,
];

export const DPO_COLUMNS: readonly ColumnSpec[] = [
  col('id', 'string'),
  col('prompt', 'messages'),
  col('chosen', 'messages'),
  col('rejected', 'messages'),
  col('category', 'string'),
  col('tools', 'string'),
  col('score_chosen', 'float64'),
  col('score_rejected', 'float64'),
  col('margin', 'float64'),
  col('n_prompt_tokens', 'int64'),
  col('n_chosen_tokens', 'int64'),
  col('n_rejected_tokens', 'int64'),
  ...TRACE,
];

export const KTO_COLUMNS: readonly ColumnSpec[] = [
  col('id', 'string'),
  col('prompt', 'messages'),
  col('completion', 'messages'),
  col('label', 'bool'),
  col('category', 'string'),
  col('tools', 'string'),
  col('n_prompt_tokens', 'int64'),
  col('n_completion_tokens', 'int64'),
  ...TRACE,
];

export const COLUMNS: Record<ExportKind, readonly ColumnSpec[]> = { sft: SFT_COLUMNS, dpo: DPO_COLUMNS, kto: KTO_COLUMNS };

/** SFT with structured tool calls: `messages` as JSON turns, so each turn keeps only the keys it has. */
export const SFT_CHAT_COLUMNS: readonly ColumnSpec[] = SFT_COLUMNS.map((c) => (c.type === 'messages' ? col(c.name, 'chat') : c));

/**
 * The columns of a config. Only SFT changes with the tool format: preference pairs keep tool calls as Hermes
 * text (src/pairs/messages.ts), since DPO/KTO prompts and completions are split by turn and counted that way.
 */
export const columnsFor = (kind: ExportKind, toolFormat: ToolFormat = 'structured'): readonly ColumnSpec[] =>
  kind === 'sft' && toolFormat === 'structured' ? SFT_CHAT_COLUMNS : COLUMNS[kind];
