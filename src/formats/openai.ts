import { col, type FormatAdapter } from './adapter.js';
import { own } from './problem.js';
import { parseTools } from './tools.js';
import { normalizeTurns } from './turns.js';

/** OpenAI chat fine-tuning records: {messages: [{role, content, tool_calls?, tool_call_id?}], tools?}. */
export const openaiFormat: FormatAdapter = {
  name: 'openai',
  description: 'OpenAI chat: {"messages": [{"role", "content"}], "tools"?}; tool_calls, tool role, content parts',
  detect: ({ record, mapping }) => Array.isArray(own(record, col(mapping, 'messages'))),
  convert({ record, mapping }) {
    const messagesKey = col(mapping, 'messages');
    const toolsKey = col(mapping, 'tools');
    const tools = parseTools(own(record, toolsKey), toolsKey);
    if (!tools.ok) return tools;
    const turns = normalizeTurns(own(record, messagesKey), {
      path: messagesKey,
      roleKey: mapping.columns?.role,
      contentKey: mapping.columns?.content,
      roles: mapping.roles,
    });
    if (!turns.ok) return turns;
    // Object.assign, not a spread: the same keys in the same order, and on Node 20 a spread here cost ~5 µs a record.
    return Object.assign({}, turns, { tools: tools.tools, consumed: [messagesKey, toolsKey] });
  },
};
