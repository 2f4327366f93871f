import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSummaryTable } from '../../src/report/audit-summary-table.js';
import { writeAuditReports } from '../../src/report/write-audit-reports.js';
import { handMadeAudit, imgSource, longSource, scriptCategory } from './fixtures/hand-made-audit.js';

/** Split a GFM table row into cells, honouring `\|` escapes. */
const cells = (line: string) => line.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());

async function written() {
  const dir = await mkdtemp(join(tmpdir(), 'chatmill-audit-md-'));
  await writeAuditReports({ dir, audit: handMadeAudit });
  return { md: await readFile(join(dir, 'audit.md'), 'utf8'), json: await readFile(join(dir, 'audit.json'), 'utf8') };
}

describe('audit.md', () => {
  it('has well-formed tables: every row of a table has the header’s column count', async () => {
    const { md } = await written();
    const blocks = md.split(/\n{2,}/).filter((b) => b.startsWith('|'));
    expect(blocks.length).toBe(4); // totals, by category, by source, histogram
    for (const block of blocks) {
      const rows = block.trim().split('\n').map(cells);
      for (const row of rows) expect(row.length, block).toBe(rows[0].length);
      expect(rows[1].every((c) => /^-{3}:?$/.test(c))).toBe(true);
    }
  });

  it('shows the fixture’s numbers (worked out by hand)', async () => {
    const { md } = await written();
    const row = (name: string) => md.split('\n').map(cells).find((r) => r[0] === name);
    // general: 1,200 records, 1,000,000 tokens = 300,000 + 700,000, 70% response, half of 2,000,000; Hermes 236/393 = 60.1%.
    expect(row('general')).toEqual(['general', '1,200', '1,000,000', '300,000', '700,000', '70.0%', '50.0%', '60.1%']);
    // math: 160,000 / 200,000 = 80% response, 10% of all tokens; Hermes 26/393 = 6.6%.
    expect(row('math')).toEqual(['math', '400', '200,000', '40,000', '160,000', '80.0%', '10.0%', '6.6%']);
    expect(row('data/general.jsonl')).toEqual(['data/general.jsonl', '1,200', '1,000,000', '300,000', '700,000', '70.0%', '50.0%']);
    expect(md).toContain('| Response share | 70.0% vs target 69.0% (+1.0 pts) |');
    expect(md).toContain('| Over max length (> 8,192 tokens) | 30 (1.5% of records) |');
    expect(md).toContain('| 8,193–16,384 | 25 | 1.3% | over max length |');
    expect(md).toContain(`| ${longSource.replace(/_/g, '\\_')} | 700 | 500,000 | 130,000 | 370,000 | 74.0% | 25.0% |`);
  });

  it('keeps hostile names inert: no raw tags, pipes escaped', async () => {
    const { md } = await written();
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;');
    expect(md).toContain('\\|pipe.jsonl');
    expect(scriptCategory).toContain('<script>');
    expect(imgSource).toContain('|');
  });

  it('audit.json is the audit object, maps sorted by name', async () => {
    const { json } = await written();
    const parsed = JSON.parse(json);
    expect(parsed).toEqual(handMadeAudit);
    expect(Object.keys(parsed.by_category)).toEqual([scriptCategory, 'coding', 'general', 'math', 'roleplay']);
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['tokenizer', 'template', 'records']);
  });

  it('refuses an audit that breaks the contract, before writing anything', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'chatmill-audit-bad-')), 'out');
    const bad = { ...handMadeAudit, response_share: 1.7 };
    await expect(writeAuditReports({ dir, audit: bad })).rejects.toThrow(/schemas\/audit\.ts/);
  });
});

describe('auditSummaryTable', () => {
  it('lines up fixed-width columns and shows totals', () => {
    const text = auditSummaryTable(handMadeAudit, { targetResponseShare: 0.69 });
    expect(text).toContain('response share 70.0% (target 69.0%, +1.0 pts)');
    const lines = text.split('\n');
    const general = lines.find((l) => l.startsWith('general '))!;
    expect(general.split(/\s{2,}/)).toEqual(['general', '1,200', '1,000,000', '300,000', '700,000', '70.0%', '50.0%']);
    // Within one table, right-aligned numbers end in the same column as the header.
    const header = lines.find((l) => l.startsWith('category'))!;
    expect(general.length).toBe(header.length);
    // The long path is cut from the left and keeps its file name.
    expect(text).toMatch(/…[^\n]*code_and_math\.parquet/);
  });
});
