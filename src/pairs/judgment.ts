import type { Message } from '../../schemas/chatml.js';
import { describe, own, problem } from '../formats/problem.js';
import type { ReadResult } from './types.js';

/** What a judge's `preference` says: which output won, or that neither did. */
const VERDICTS = new Map<number, 'output_1' | 'output_2' | 'tie'>([
  [1, 'output_1'],
  [2, 'output_2'],
  [1.5, 'tie'],
  [0, 'tie'],
]);

/**
 * Pairwise judgment files as AlpacaEval's and MT-Bench's judges write them: `instruction` (plus an optional
 * Alpaca `input`), `output_1`, `output_2` and `preference`: 1 or 2 names the preferred output; 1.5 and 0 are
 * ties (dropped as `tie`); any other value (a string, null, 1.3) is rejected as `invalid_preference`, since
 * guessing which side it favours could flip a pair.
 */
export function fromJudgment(record: Record<string, unknown>): ReadResult {
  const instruction = own(record, 'instruction');
  if (typeof instruction !== 'string') return problem('missing_prompt', `instruction must be text, got ${describe(instruction)}`, 'instruction');
  const input = own(record, 'input');
  if (input !== undefined && input !== null && typeof input !== 'string') return problem('invalid_field', `input must be text, got ${describe(input)}`, 'input');
  for (const key of ['output_1', 'output_2']) {
    const v = own(record, key);
    if (typeof v !== 'string') return problem('invalid_completions', `${key} must be text, got ${describe(v)}`, key);
  }
  const preference = own(record, 'preference');
  const verdict = typeof preference === 'number' ? VERDICTS.get(preference) : undefined;
  if (!verdict) {
    return problem(
      'invalid_preference',
      `preference must be 1 or 2 (the preferred output), or 1.5 or 0 (a tie); got ${JSON.stringify(preference) ?? 'nothing'}`,
      'preference',
    );
  }
  if (verdict === 'tie') return { kind: 'skip', reason: 'tie', message: `the judge preferred neither output (preference ${preference})` };
  const user = typeof input === 'string' && input.length ? `${instruction}\n${input}` : instruction;
  const prompt: Message[] = [{ role: 'user', content: user }];
  const side = (key: 'output_1' | 'output_2') => ({ messages: [{ role: 'assistant' as const, content: own(record, key) as string }], score: null, path: key });
  const loser = verdict === 'output_1' ? 'output_2' : 'output_1';
  return { kind: 'fixed', format: 'pairwise_judgment', prompt, chosen: side(verdict), rejected: side(loser) };
}
