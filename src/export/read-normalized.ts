import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Conversation } from '../../schemas/chatml.js';
import { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import type { ExportKind } from './columns.js';
import { detectKind, type ExportRecord } from './rows.js';

/**
 * Deliberately trivial stand-in for the real readers in src/read/: one already-normalized record per JSONL line,
 * kind judged by keys, checked against its schema. Swap this file out when the shared readers land.
 */
export type ReadLine =
  | { ok: true; line: number; kind: ExportKind; record: ExportRecord }
  | { ok: false; line: number; reason: string; message: string };

const SCHEMAS = { sft: Conversation, dpo: PreferencePair, kto: UnpairedPreference } as const;

export async function* readNormalizedJsonl(path: string): AsyncGenerator<ReadLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      yield { ok: false, line, reason: 'invalid_json', message: (err as Error).message };
      continue;
    }
    const kind = detectKind(obj);
    if (!kind) {
      yield { ok: false, line, reason: 'unknown_record_kind', message: 'expected messages, chosen/rejected or completion/label' };
      continue;
    }
    const parsed = SCHEMAS[kind].safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      yield { ok: false, line, reason: 'schema_mismatch', message: `${issue.path.join('.') || '(record)'}: ${issue.message}` };
      continue;
    }
    yield { ok: true, line, kind, record: parsed.data };
  }
}
