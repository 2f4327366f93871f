import type { Message } from '../../schemas/chatml.js';
import { own, problem, type Problem } from '../formats/problem.js';
import { sameMessages } from './messages.js';
import type { ShapeResult } from './types.js';

const MARKER = /\n\n(Human|Assistant): ?/;
/** A speaker label inside a turn's text: the transcript's speakers are mixed up. */
const LEAK = /\b(Human|Assistant):/;

/**
 * Split an Anthropic HH transcript ("\n\nHuman: …\n\nAssistant: …") into turns. The markers are the
 * only structure; the one space after the colon belongs to the marker, the rest of the text is kept.
 */
export function parseTranscript(text: string, path: string): Message[] | Problem {
  const parts = text.split(MARKER);
  if (parts[0] !== '') return problem('malformed_transcript', 'transcript must start with "\\n\\nHuman:"', path);
  const out: Message[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    out.push({ role: parts[i] === 'Human' ? 'user' : 'assistant', content: parts[i + 1] });
  }
  return out;
}

/**
 * HH pairs. The prompt is every turn before each side's last turn, and the two prompts must be equal
 * (`prompt_mismatch` otherwise): splitting both strings at their last "Assistant:" is wrong when a
 * reply contains a second "Assistant:" turn. Checks, in order: prompt_mismatch, speaker_leak (a
 * "Human:"/"Assistant:" label inside any turn's text, e.g. "Assistant: Human: …"), broken_turn_order
 * (two turns in a row by the same speaker). Empty final turns are caught by the common pair checks.
 */
export function fromHH(record: Record<string, unknown>): ShapeResult {
  const c = parseTranscript(own(record, 'chosen') as string, 'chosen');
  if (!Array.isArray(c)) return c;
  const r = parseTranscript(own(record, 'rejected') as string, 'rejected');
  if (!Array.isArray(r)) return r;
  if (c.length === 0 || r.length === 0) return problem('malformed_transcript', 'transcript has no turns', 'chosen');
  const prompt = c.slice(0, -1);
  if (!sameMessages(prompt, r.slice(0, -1))) {
    return problem('prompt_mismatch', 'chosen and rejected transcripts differ before their last turn', 'rejected');
  }
  for (const [name, turns] of [['chosen', c], ['rejected', r]] as const) {
    const leak = turns.findIndex((m) => LEAK.test(m.content));
    if (leak >= 0) return problem('speaker_leak', `turn ${leak} of ${name} contains a speaker label inside its text`, `${name}[${leak}]`);
    const dup = turns.findIndex((m, i) => i > 0 && turns[i - 1].role === m.role);
    if (dup >= 0) return problem('broken_turn_order', `turns ${dup - 1} and ${dup} of ${name} are both ${turns[dup].role} turns`, `${name}[${dup}]`);
  }
  return {
    kind: 'fixed',
    format: 'hh',
    prompt,
    chosen: { messages: c.slice(-1), score: null, path: 'chosen' },
    rejected: { messages: r.slice(-1), score: null, path: 'rejected' },
  };
}
