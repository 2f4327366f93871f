import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/report/summary-table.js';
import type { Summary } from '../../src/tally.js';

const summary: Summary = {
  files: [
    { path: 'data/a.jsonl', format: 'sharegpt', read: 1200, kept: 1190, rejected: 7, dropped: 3 },
    { path: '/home/someone/projects/very/long/path/to/the/datasets/folder/b-conversations.parquet', format: 'openai', read: 50, kept: 50, rejected: 0, dropped: 0 },
    { path: 'evil\x1b[31m.json', format: 'mixed', read: 4, kept: 1, rejected: 3, dropped: 0 },
  ],
  read: 1254,
  kept: 1241,
  rejected: 10,
  dropped: 3,
  reasons: { empty_content: 6, unknown_role: 4 },
  warnings: { trailing_whitespace: 12 },
};

describe('summaryTable', () => {
  const text = summaryTable(summary);
  const lines = text.split('\n');

  it('has one row per file plus totals, numbers formatted', () => {
    expect(lines.find((l) => l.startsWith('data/a.jsonl'))!.split(/\s{2,}/)).toEqual(['data/a.jsonl', 'sharegpt', '1,200', '1,190', '7', '3']);
    expect(lines.find((l) => l.startsWith('total'))!.split(/\s{2,}/)).toEqual(['total', '1,254', '1,241', '10', '3']);
  });

  it('cuts long paths from the left and neutralises terminal escapes', () => {
    expect(text).toMatch(/…[^\n]*b-conversations\.parquet/);
    expect(text).not.toContain('/home/someone');
    expect(text).not.toContain('\x1b');
    expect(text).toContain('evil\\x1b[31m.json');
  });

  it('lists every reject reason and warning with its count', () => {
    expect(lines.find((l) => l.startsWith('empty_content'))!.split(/\s{2,}/)).toEqual(['empty_content', '6']);
    expect(lines.find((l) => l.startsWith('unknown_role'))!.split(/\s{2,}/)).toEqual(['unknown_role', '4']);
    expect(lines.find((l) => l.startsWith('trailing_whitespace'))!.split(/\s{2,}/)).toEqual(['trailing_whitespace', '12']);
  });
});
