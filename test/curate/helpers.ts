import type { Keep, Outcome, Stage, StageContext } from '../../src/types.js';

export type Conv = { id: string; messages: { role: string; content: string }[] };

/** Run one stage over conversations (refs are positions in a file named `t`) and collect its outcomes and warnings. */
export async function runStage<T extends Conv>(stage: Stage<T, T>, convs: T[]): Promise<{ outcomes: Outcome<T>[]; warnings: Record<string, number> }> {
  const warnings: Record<string, number> = {};
  const ctx: StageContext = { warn: (code) => void (warnings[code] = (warnings[code] ?? 0) + 1), noteFormat: () => {} };
  async function* input(): AsyncGenerator<Keep<T>> {
    for (const [index, value] of convs.entries()) yield { kind: 'keep', ref: { source: 't', index }, value, raw: JSON.stringify(value) };
  }
  const outcomes: Outcome<T>[] = [];
  for await (const o of stage.run(input(), ctx)) outcomes.push(o);
  return { outcomes, warnings };
}

export const conv = (id: string, user: string, assistant = 'ok', system?: string): Conv => ({
  id,
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }, { role: 'assistant', content: assistant }],
});
