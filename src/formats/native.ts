import type { FormatAdapter } from './adapter.js';
import { isObject, own } from './problem.js';
import { parseTools } from './tools.js';
import { normalizeTurns } from './turns.js';

/**
 * chatmill's own normalized records (what `convert` writes). Feeding them back in gives the same
 * records: id, source, index, format, category and meta are carried over, messages re-checked.
 */
export const nativeFormat: FormatAdapter = {
  name: 'chatmill',
  description: 'chatmill normalized records (output of `chatmill convert`): {"id", "source", "index", "format", "messages", ...}',
  detect: ({ record }) =>
    typeof own(record, 'id') === 'string' &&
    typeof own(record, 'source') === 'string' &&
    Number.isInteger(own(record, 'index')) &&
    typeof own(record, 'format') === 'string' &&
    Array.isArray(own(record, 'messages')),
  convert({ record }) {
    const tools = parseTools(own(record, 'tools'), 'tools');
    if (!tools.ok) return tools;
    const turns = normalizeTurns(own(record, 'messages'), { path: 'messages' });
    if (!turns.ok) return turns;
    const category = own(record, 'category');
    const meta = own(record, 'meta');
    return {
      ...turns,
      tools: tools.tools,
      consumed: Object.keys(record),
      carry: {
        id: own(record, 'id') as string,
        source: own(record, 'source') as string,
        index: own(record, 'index') as number,
        format: own(record, 'format') as string,
        ...(typeof category === 'string' ? { category } : {}),
        ...(isObject(meta) ? { meta } : {}),
      },
    };
  },
};
