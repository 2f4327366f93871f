import { describe, expect, it } from 'vitest';
import { pairsHtml, pairsMarkdown } from '../../src/report/pairs-section.js';
import type { PairStats } from '../../src/pairs/stats.js';

const stats: PairStats = {
  pairs: 30,
  unpaired: 4,
  by_source: { 'a.jsonl': 20, '<b>.jsonl': 14 },
  margin_histogram: [
    { min: 0, max: 1, pairs: 5 },
    { min: 1, max: 2, pairs: 15 },
  ],
  unscored: 10,
  length_bias: { unit: 'tokens', chosen_longer_share: 0.75, median_length_ratio: 1.5 },
  tokens: { prompt: 1200, chosen: 900, rejected: 600 },
};

describe('the preference section of the audit', () => {
  it('markdown states the length bias and lists sources and margins', () => {
    const md = pairsMarkdown([{ dataset: 'dpo', stats }]);
    expect(md).toContain('30 pairs, 4 unpaired. Chosen is longer in 75.0% of pairs (median chosen/rejected length ratio 1.50, in tokens).');
    expect(md).toContain('| a.jsonl | 20 |');
    expect(md).toContain('| [1, 2) | 15 |');
    expect(md).toContain('prompt 1,200, chosen 900, rejected 600');
  });

  it('HTML draws one bar per source and per margin bin, with escaped names', () => {
    const html = pairsHtml([{ dataset: 'dpo', stats }]);
    expect(html).toContain('id="chart-pairs-source-dpo"');
    expect(html).toContain('id="chart-pairs-margin-dpo"');
    expect(html).not.toContain('<b>.jsonl');
    expect(html).toContain('&lt;b&gt;.jsonl');
    expect(html).toContain('10 pairs have no scores');
  });
});
