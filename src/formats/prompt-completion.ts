import { col, type FormatAdapter } from './adapter.js';
import { normalizeSplit } from './joined-turns.js';
import { own, problem } from './problem.js';
import { parseTools } from './tools.js';

/**
 * TRL's prompt-completion records (also mlx-lm's `completions` format): `{"prompt", "completion"}`, both as
 * text (the standard form) or both as message lists (the conversational form). The completion is the part
 * trained on, so it becomes the assistant turn(s); a text prompt becomes one user turn. Prompt and
 * completion are normalized together, so a tool result in the completion finds its call in the prompt.
 */
export const promptCompletionFormat: FormatAdapter = {
  name: 'prompt_completion',
  description: 'TRL prompt-completion: {"prompt", "completion", "tools"?} as text or message lists; the completion is the assistant turn(s)',
  detect: ({ record, mapping }) => Object.hasOwn(record, col(mapping, 'prompt')) && Object.hasOwn(record, col(mapping, 'completion')),
  convert({ record, mapping }) {
    const [promptKey, completionKey, toolsKey] = ['prompt', 'completion', 'tools'].map((k) => col(mapping, k));
    const tools = parseTools(own(record, toolsKey), toolsKey);
    if (!tools.ok) return tools;
    const joined = normalizeSplit(
      { value: own(record, promptKey), path: promptKey },
      { value: own(record, completionKey), path: completionKey },
      { roleKey: mapping.columns?.role, contentKey: mapping.columns?.content, roles: mapping.roles },
    );
    if ('ok' in joined) return joined;
    if (joined.response.length === 0) return problem('no_assistant_turn', `${completionKey} holds no turns`, completionKey);
    const stray = joined.response.findIndex((m) => m.role !== 'assistant' && m.role !== 'tool');
    if (stray >= 0) {
      const at = Array.isArray(own(record, completionKey)) ? `${completionKey}[${stray}]` : completionKey;
      return problem(
        'invalid_completion',
        `${at} is a ${joined.response[stray].role} turn: the completion is what the model learns to say, so it holds assistant turns (and tool results between its calls)`,
        at,
      );
    }
    const warnings = [...joined.warnings];
    // TRL trains on the completion only; chatmill's masks train every assistant turn unless told otherwise.
    if (joined.prompt.some((m) => m.role === 'assistant')) warnings.push('assistant_in_prompt');
    return {
      ok: true,
      messages: [...joined.prompt, ...joined.response],
      tools: tools.tools,
      calls: joined.calls,
      warnings,
      consumed: [promptKey, completionKey, toolsKey],
    };
  },
};
