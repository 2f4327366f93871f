/**
 * One column list per record kind. The Arrow schema, the Hugging Face `features` and the row mapper all read
 * these lists, so a column is declared once and the three views cannot drift apart.
 */

/** `messages` means list<struct<role string, content string>>, the TRL/ChatML conversational shape. */
export type ColumnType = 'string' | 'int64' | 'float64' | 'bool' | 'messages';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export type ExportKind = 'sft' | 'dpo' | 'kto';

const col = (name: string, type: ColumnType): ColumnSpec => ({ name, type });

/** Provenance columns every kind ends with: where the record came from and how it was read. */
const TRACE: ColumnSpec[] = [col('source', 'string'), col('index', 'int64'), col('format', 'string')];

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
