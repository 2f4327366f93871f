/**
 * The mix stage inside the runner: what leaves it (copies with `repeat`), what goes to dropped.jsonl (with the
 * group's budget and use), the books per input file, the shortfall warning and `strict`.
 */
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../schemas/chatml.js';
import { runPipeline } from '../../src/run.js';
import { toDropRecord } from '../../src/sinks.js';
import { mixStage, type MixReport, type MixStageOptions } from '../../src/mix/stage.js';
import { keep, type Dropped, type Keep, type Outcome } from '../../src/types.js';

function record(source: string, index: number, category: string, tokens: number): Conversation {
  return { id: `${source}#${index}`, source, index, format: 'openai', category, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], n_tokens: tokens, n_instruction_tokens: 1, n_response_tokens: tokens - 1 };
}

async function* from(records: Conversation[]): AsyncGenerator<Outcome<unknown>> {
  for (const r of records) yield keep({ source: r.source, index: r.index }, r, JSON.stringify(r));
}

const defaults: MixStageOptions = { target: 'hermes3', by: 'category', count: 'all', max_epochs: 3, seed: 42, within: 'longest', others: 'drop', strict: false };

async function mix(records: Conversation[], options: Partial<MixStageOptions>) {
  const out: Keep<Conversation>[] = [];
  const drops: Dropped[] = [];
  let report: MixReport | undefined;
  const tally = await runPipeline({
    source: from(records),
    stages: [mixStage({ options: { ...defaults, ...options }, where: 'test.mix', onReport: (r) => (report = r) })],
    sinks: { reject: () => undefined, drop: (d) => void drops.push(d) },
    onOutput: (item) => void out.push(item as Keep<Conversation>),
  });
  return { out, drops, report: report!, tally };
}

describe('mix stage', () => {
  // a.jsonl: general 40+30+20+10 tokens, code 50; b.jsonl: general 25, code 25, and one json_mode record.
  const records = [
    record('a.jsonl', 0, 'general', 40),
    record('a.jsonl', 1, 'code', 50),
    record('a.jsonl', 2, 'general', 30),
    record('a.jsonl', 3, 'general', 20),
    record('b.jsonl', 0, 'general', 25),
    record('b.jsonl', 1, 'json_mode', 99),
    record('b.jsonl', 2, 'code', 25),
    record('a.jsonl', 4, 'general', 10),
  ];

  it('downsamples one group, repeats another, drops what is not in the target, and the books balance', async () => {
    const { out, drops, report, tally } = await mix(records, { target: { general: 0.5, code: 0.5 }, total_tokens: 200 });
    // general (125 available, budget 100, longest first): 40, 30, 25 → 95; then 20 < 2 × 5? no; 10 < 10? no.
    // code (75 available, budget 100): one whole pass (75), then 25 wanted: 50 < 50? no; 25 < 50: yes → 100.
    expect(out.map((o) => [o.value.id, o.value.repeat ?? 0])).toEqual([
      ['a.jsonl#0', 0],
      ['a.jsonl#1', 0],
      ['a.jsonl#2', 0],
      ['b.jsonl#0', 0],
      ['b.jsonl#2', 0],
      ['b.jsonl#2', 1],
    ]);
    expect(drops.map((d) => [d.ref.source, d.ref.index, d.reason])).toEqual([
      ['a.jsonl', 3, 'over_budget'],
      ['b.jsonl', 1, 'not_in_target'],
      ['a.jsonl', 4, 'over_budget'],
    ]);
    expect(toDropRecord(drops[0], 'mix')).toMatchObject({ reason: 'over_budget', group: 'general', budget: 100, used: 95, source: 'a.jsonl', index: 3 });
    expect(report.groups.map((g) => [g.group, g.budget, g.achieved, g.repeats])).toEqual([
      ['general', 100, 95, 0],
      ['code', 100, 100, 1],
    ]);
    expect(report.others).toMatchObject({ records: 1, tokens: 99, policy: 'drop' });
    // Repeats are extra outputs, never extra records read: per file, read = kept + rejected + dropped.
    const files = Object.fromEntries(tally.summary().files.map((f) => [f.path, [f.read, f.kept, f.rejected, f.dropped]]));
    expect(files).toEqual({ 'a.jsonl': [5, 3, 0, 2], 'b.jsonl': [3, 2, 0, 1] });
    expect(tally.stages.get('mix')).toMatchObject({ received: 8, emitted: 6, dropped: 3 });
  });

  it('hermes3 understands our category names (code → coding, tool_use → tool use); others: keep passes the rest through', async () => {
    const { out, report } = await mix(records, { others: 'keep' });
    expect(report.groups.map((g) => g.group)).toEqual(['general', 'domain expert', 'math', 'roleplay', 'coding', 'tool use', 'content generation', 'steering']);
    expect(report.groups.find((g) => g.group === 'coding')).toMatchObject({ records: 2, available: 75 });
    expect(out.some((o) => o.value.category === 'json_mode')).toBe(true);
  });

  it('a group short of its budget is a mix_shortfall warning, or with strict: true an error before anything is emitted', async () => {
    const { tally, report } = await mix(records, { target: { general: '1000', code: '10' } });
    expect(report.groups[0]).toMatchObject({ group: 'general', achieved: 375, shortfall: 625 });
    expect(tally.warnings.mix_shortfall).toBe(1);
    await expect(mix(records, { target: { general: '1000', code: '10' }, strict: true })).rejects.toThrow(/general has 375 of 1000 tokens \(short by 625\)/);
  });

  it('a target that is neither shares nor budgets is a usage error', () => {
    expect(() => mixStage({ options: { ...defaults, target: { general: 0.5, code: 0.4 } }, where: 'x' })).toThrow(/sum to 0\.900000, not 1/);
    expect(() => mixStage({ options: { ...defaults, target: { general: 'lots' } }, where: 'x' })).toThrow(/neither a share nor a token budget/);
    expect(() => mixStage({ options: { ...defaults, target: { general: '10M' }, total_tokens: '5M' }, where: 'x' })).toThrow(/total_tokens goes with target shares/);
  });
});
