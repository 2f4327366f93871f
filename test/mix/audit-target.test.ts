/**
 * `chatmill audit --target`: a dry run of the mix on the audit's own counts. The budgets follow from the
 * audit's token totals per category (audit.json, counted by the tokenizer) and the rule in docs/mixing.md:
 * total = min over groups of tokens × max_epochs / share.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

const rec = (i: number, words: number) =>
  JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}: ${'why '.repeat(words)}?` }, { role: 'assistant', content: `Answer ${i}.` }] });

describe('audit --target', () => {
  it('reports what a mix would build, in mix-plan.json and on stderr, and changes nothing', async () => {
    const dir = tmp();
    const general = join(dir, 'general.jsonl');
    const code = join(dir, 'code.jsonl');
    writeFileSync(general, `${[0, 1, 2, 3, 4, 5].map((i) => rec(i, 40)).join('\n')}\n`);
    writeFileSync(code, `${[0, 1].map((i) => rec(i, 10)).join('\n')}\n`);
    const out = join(dir, 'audit');
    const r = await chatmill(['audit', general, code, '--category', 'general.jsonl=general', '--category', 'code.jsonl=coding', '--out', out, '--target', 'general=0.5,coding=0.5', '--max-epochs', '2']);
    expect(r.code, r.stderr).toBe(0);
    const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    const plan = JSON.parse(readFileSync(join(out, 'mix-plan.json'), 'utf8'));
    const tokens = { general: audit.by_category.general.tokens, coding: audit.by_category.coding.tokens };
    const total = Math.min((tokens.general * 2) / 0.5, (tokens.coding * 2) / 0.5);
    expect(plan.groups.map((g: { group: string; available: number; budget: number }) => [g.group, g.available, g.budget])).toEqual([
      ['general', tokens.general, Math.round(total / 2)],
      ['coding', tokens.coding, Math.round(total / 2)],
    ]);
    // coding is the scarce group: both its records appear twice; general is cut.
    expect(plan.groups[1]).toMatchObject({ kept: 2, repeats: 2, dropped: 0 });
    expect(plan.groups[0].dropped).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/mix plan against shares .*nothing was mixed/);
    expect(audit.records).toBe(8); // the audit itself counts the records as they are
    // The Markdown and HTML audits carry the same plan, marked as a dry run.
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    expect(md).toContain('### Mixture plan against shares (dry run)');
    expect(md).toMatch(/\| coding \| [0-9.]+% \| 50\.0% \| [0-9.]+% \| [0-9,]+ \| [0-9,]+ \| 2 of 2 \| 2 \| 0 \|/);
    expect(readFileSync(join(out, 'audit.html'), 'utf8')).toContain('id="chart-mix-input"');
  });

  it('a target that is not hermes3, shares or budgets is exit 2 before the tokenizer loads', async () => {
    const r = await chatmill(['audit', 'data/sft/math.alpaca.jsonl', '--out', join(tmp(), 'a'), '--target', 'general:0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target: expected hermes3/);
  });
});
