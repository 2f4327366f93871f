import type { Role } from '../../schemas/chatml.js';

/** What a source turn is, once its role name is understood. */
export type TurnKind = Role | 'tool_call';

/**
 * Role names seen in the wild, mapped to ChatML roles. `function_call` turns (glaive, LLaMA-Factory)
 * are assistant turns holding a call; `observation`/`function` turns are tool results.
 */
const ROLE_NAMES: Record<string, TurnKind> = Object.assign(Object.create(null), {
  system: 'system',
  developer: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  bot: 'assistant',
  model: 'assistant',
  tool: 'tool',
  observation: 'tool',
  function: 'tool',
  function_response: 'tool',
  'function-response': 'tool',
  ipython: 'tool',
  function_call: 'tool_call',
  'function-call': 'tool_call',
});

/** Map a source role name (after any custom role mapping) to a turn kind; undefined when unknown. */
export function turnKind(name: string, custom?: Record<string, string>): TurnKind | undefined {
  const mapped = custom && Object.hasOwn(custom, name) ? custom[name] : name;
  return ROLE_NAMES[mapped.toLowerCase()];
}

export const KNOWN_ROLE_NAMES = Object.keys(ROLE_NAMES);
