/** The curation log counts what a stage did by reason, source and category, and the report sections show it. */
import { describe, expect, it } from 'vitest';
import { curationHtml, curationMarkdown } from '../../src/report/curation-section.js';
import { handMadeCuration } from '../report/fixtures/curation.js';
import { imgSource, scriptCategory } from '../report/fixtures/hand-made-audit.js';

describe('the curation log and its report sections', () => {
  it('counts removed, rejected and flagged records by reason, source and category, with examples', async () => {
    const [r] = await handMadeCuration();
    expect(r).toMatchObject({ stage: 'near_dedup', records: 5, removed: 2, rejected: 1, flagged: 1, byReason: { near_duplicate: 2, tool_arguments_invalid: 1, refusal: 1 } });
    expect(r.bySource).toEqual({
      'a.jsonl': { removed: 1, rejected: 0, flagged: 1 },
      [imgSource]: { removed: 1, rejected: 0, flagged: 0 },
      'b.jsonl': { removed: 0, rejected: 1, flagged: 0 },
    });
    expect(r.byCategory).toEqual({
      general: { removed: 1, rejected: 0, flagged: 0 },
      [scriptCategory]: { removed: 1, rejected: 0, flagged: 0 },
      tool_use: { removed: 0, rejected: 1, flagged: 0 },
      '(none)': { removed: 0, rejected: 0, flagged: 1 },
    });
    expect(r.examples[0]).toEqual({ id: 'd1', source: 'a.jsonl', index: 1, reason: 'near_duplicate', outcome: 'removed', evidence: { duplicate_of: 'k1', similarity: 0.91234 } });
    expect(r.examples.find((e) => e.outcome === 'rejected')).toMatchObject({ id: 'r1', evidence: { path: 'messages[1].content#/city' } });
  });

  it('markdown and HTML show the counts, evidence and settings, with names from the data escaped', async () => {
    const stages = await handMadeCuration();
    const md = curationMarkdown(stages);
    expect(md).toContain('5 records checked: 2 removed, 1 rejected, 1 flagged (`near_duplicate` 2, `tool_arguments_invalid` 1, `refusal` 1).');
    expect(md).toContain('Settings: `threshold: 0.8`, `roles: ["user","assistant"]`.');
    expect(md).toContain('duplicate\\_of k1, similarity 0.912');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script>');
    const html = curationHtml(stages);
    expect(html).toContain('<h2 id="curation">Curation</h2>');
    expect(html).toContain('&lt;img src=x');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
  });
});
