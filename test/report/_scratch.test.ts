import { test } from 'vitest';
import { pathToFileURL } from 'node:url';
import { writeAuditReports } from '../../src/report/write-audit-reports.js';
import { launchChromium } from './chromium.js';
import { handMadeAudit } from './fixtures/hand-made-audit.js';
test('render', async () => {
  await writeAuditReports({ dir: '/tmp/rep/out', audit: handMadeAudit });
  const ctx = await launchChromium();
  const page = await ctx.newPage();
  await page.goto(pathToFileURL('/tmp/rep/out/audit.html').href);
  const h = await page.evaluate(() => document.body.scrollHeight);
  for (let y = 0, i = 0; y < h; y += 1000, i++) {
    await page.screenshot({ path: `/tmp/rep/part${i}.png`, fullPage: true, clip: { x: 0, y, width: 1100, height: Math.min(1000, h - y) } });
  }
  await ctx.close();
});
