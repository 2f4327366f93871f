/**
 * The mixture section of the audit: numbers taken from a hand-written mix report (shares worked out by hand
 * below), and bars whose lengths are proportional to those shares.
 */
import { describe, expect, it } from 'vitest';
import type { MixReport } from '../../src/mix/collect.js';
import { mixHtml, mixMarkdown } from '../../src/report/mix-section.js';

// Before mixing: general 300 + code 100 tokens, plus 100 tokens of json_mode outside the target (500 in all).
// Target 50/50 of 400: general cut to 200 (2 of 3 records), code repeated to 200 (1 repeat).
const report: MixReport = {
  target: 'custom',
  by: 'category',
  count: 'all',
  max_epochs: 3,
  seed: 42,
  within: 'random',
  totalBudget: 400,
  totalAchieved: 400,
  groups: [
    { group: 'general', share: 0.5, budget: 200, available: 300, records: 3, achieved: 200, kept: 2, repeats: 0, dropped: 1, epochs: [1, 2], met: true, shortfall: 0 },
    { group: 'code', share: 0.5, budget: 200, available: 100, records: 1, achieved: 200, kept: 1, repeats: 1, dropped: 0, epochs: [0, 0, 1], met: true, shortfall: 0 },
  ],
  others: { records: 1, tokens: 100, policy: 'drop', groups: { json_mode: 1 } },
};

describe('mix section of the audit', () => {
  it('lists share before, target and built share per group, with budget, records, repeats and drops', () => {
    const md = mixMarkdown([{ dataset: 'sft', report, dryRun: false }]);
    expect(md).toContain('### Mixture built to custom · sft');
    expect(md).toContain('| general | 60.0% | 50.0% | 50.0% | 200 | 200 | 2 of 3 | 0 | 1 | yes |');
    expect(md).toContain('| code | 20.0% | 50.0% | 50.0% | 200 | 200 | 1 of 1 | 1 | 0 | yes |');
    expect(md).toContain('1 records (100 tokens) in groups outside the target (json_mode) were left out (not_in_target)');
  });

  it('says what a mix would do in a dry run', () => {
    const md = mixMarkdown([{ report, dryRun: true }]);
    expect(md).toContain('### Mixture plan against custom (dry run)\n');
    expect(md).toContain('a mix would build 400');
    expect(md).toContain('would be left out');
  });

  it('draws target and built bars side by side, their lengths proportional to the shares, with the pre-mix share as a tick', () => {
    const skewed: MixReport = { ...report, totalAchieved: 400, groups: [{ ...report.groups[0], achieved: 300 }, { ...report.groups[1], achieved: 100 }] };
    const html = mixHtml([{ dataset: 'sft', report: skewed, dryRun: false }]);
    const width = (cls: string, n: number) => Number([...html.matchAll(new RegExp(`class="bar ${cls}"[^>]*width="([0-9.]+)"`, 'g'))][n][1]);
    // general: target 50%, built 75%; code: target 50%, built 25%.
    expect(width('seg-built', 0) / width('seg-target', 0)).toBeCloseTo(1.5, 2);
    expect(width('seg-built', 1) / width('seg-target', 1)).toBeCloseTo(0.5, 2);
    expect(html).toContain('general: 60.0% before mixing');
    expect(html).toContain('code: 20.0% before mixing');
  });
});
