import { own, problem } from '../formats/problem.js';
import { parseTools } from '../formats/tools.js';
import { normalizeSplit, normalizeWhole } from './messages.js';
import type { ShapeResult } from './types.js';

/**
 * KTO / unpaired preference: `{messages, label}` (LLaMA-Factory `kto_tag`, the last turn is the
 * completion) or TRL's `{prompt, completion, label}`.
 */
export function fromKto(record: Record<string, unknown>): ShapeResult {
  const label = own(record, 'label') as boolean;
  const tools = parseTools(own(record, 'tools'), 'tools');
  if (!tools.ok) return tools;
  const withTools = tools.tools?.length ? { tools: tools.tools } : {};
  if (own(record, 'completion') !== undefined) {
    const s = normalizeSplit({ value: own(record, 'prompt'), path: 'prompt' }, { value: own(record, 'completion'), path: 'completion' });
    if ('ok' in s) return s;
    return { kind: 'labelled', format: 'kto', prompt: s.prompt, completion: s.response, label, ...withTools };
  }
  const all = normalizeWhole({ value: own(record, 'messages'), path: 'messages' });
  if (!Array.isArray(all)) return all;
  if (all.length < 2) return problem('missing_prompt', 'messages need a prompt and a completion', 'messages');
  return { kind: 'labelled', format: 'kto', prompt: all.slice(0, -1), completion: all.slice(-1), label, ...withTools };
}
