import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditReports } from '../../src/report/write-audit-reports.js';
import { hasChromium, launchChromium } from './chromium.js';
import { handMadeAudit, imgSource, scriptCategory } from './fixtures/hand-made-audit.js';
import { pngStats } from './png-stats.js';
import { handMadeCuration } from './fixtures/curation.js';

if (!hasChromium) console.warn('SKIP audit.html browser tests: /usr/bin/chromium is missing (apt-get install -y chromium)');

// CI (.ci/run) installs Chromium and sets this, so the browser test can never skip there unnoticed.
describe.runIf(process.env.CHATMILL_REQUIRE_BROWSER === '1')('browser required', () => {
  it('has /usr/bin/chromium', () => expect(hasChromium).toBe(true));
});

describe.skipIf(!hasChromium)('audit.html in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let outDir: string;
  const requests: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'chatmill-audit-html-'));
    await writeAuditReports({ dir: outDir, audit: handMadeAudit, title: 'Hand-made audit', curation: await handMadeCuration() });
    context = await launchChromium();
    // Every request the page makes goes through here; only the report file itself may load.
    const pageUrl = pathToFileURL(join(outDir, 'audit.html')).href;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pageUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(pageUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('shows the Curation section with its tables, the names from the data as text', async () => {
    const section = page.locator('#curation');
    expect(await section.isVisible()).toBe(true);
    const box = await section.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    // After the heading: a summary, settings, and the by-source, by-category and examples tables.
    const rows = await page.locator('#curation ~ .table-wrap tbody tr').allTextContents();
    expect(rows).toContain(`${imgSource}100`);
    expect(rows).toContain(`${scriptCategory}100`);
    expect(rows.some((r) => r.includes('near_duplicate (removed)') && r.includes('similarity 0.912'))).toBe(true);
  });

  it('shows every chart with a non-zero rendered size', async () => {
    for (const id of ['chart-response-share', 'chart-instruction-response', 'chart-mixture-category', 'chart-mixture-source', 'chart-length-histogram']) {
      const box = await page.locator(`svg#${id}`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, id).toBeGreaterThan(300);
      expect(box!.height, id).toBeGreaterThan(50);
    }
  });

  it('draws bar widths proportional to the numbers fed in', async () => {
    const width = (sel: string) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().width);
    const chart = '#chart-instruction-response';
    // general: 300,000 instruction + 700,000 response; math: 160,000 response (fixture numbers).
    const generalInstr = await width(`${chart} rect.seg-instruction[data-value="300000"]`);
    const generalResp = await width(`${chart} rect.seg-response[data-value="700000"]`);
    const mathResp = await width(`${chart} rect.seg-response[data-value="160000"]`);
    expect(generalInstr / generalResp).toBeCloseTo(300 / 700, 2);
    expect(generalResp / mathResp).toBeCloseTo(700 / 160, 2);
    // The largest bar (general, 1,000,000) ends exactly at the last grid line (axis max 1.0M).
    const grid = await page.locator(`${chart} line.grid`).evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().x));
    expect(generalInstr + generalResp).toBeCloseTo(Math.max(...grid) - Math.min(...grid), 0);
    // Mixture: general is 50% of tokens, math 10% -> 5 times as wide.
    const mix = '#chart-mixture-category rect.bar';
    const shares = await page.locator(mix).evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
    expect(shares[0] / shares[3]).toBeCloseTo(50 / 10, 2);
    // Gauge: the fill covers 70% of the 0–100% track.
    const track = await width('#chart-response-share rect.track');
    const fill = await width('#chart-response-share rect.gauge-fill');
    expect(fill / track).toBeCloseTo(0.7, 2);
  });

  it('places the max-length line between the 4,097–8,192 and 8,193–16,384 bins', async () => {
    const bars = await page.locator('#chart-length-histogram rect.bar').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect()));
    const line = await page.locator('#chart-length-histogram > line.max-line').evaluate((l) => l.getBoundingClientRect().x);
    expect(bars).toHaveLength(7);
    expect(line).toBeGreaterThan(bars[4].right);
    expect(line).toBeLessThan(bars[5].left);
    // Tallest bar 700 records, smallest 5: heights in the same proportion.
    expect(bars[1].height / bars[6].height).toBeCloseTo(700 / 5, 0);
  });

  it('made no network request, logged no error, and ran no script from the data', async () => {
    expect(blocked).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:.*\/audit\.html$/);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // The hostile names are shown as text, literally.
    const text = await page.locator('body').innerText();
    expect(text).toContain(scriptCategory);
    expect(text).toContain(imgSource);
  });

  it('renders a non-trivial screenshot', async () => {
    const file = join(outDir, 'audit.png');
    await page.screenshot({ path: file, fullPage: true });
    const size = (await stat(file)).size;
    expect(size).toBeGreaterThan(30_000);
    const stats = pngStats(await readFile(file));
    expect(stats.height).toBeGreaterThan(1500);
    expect(stats.distinctColours).toBeGreaterThan(20);
    console.log(`screenshot ${file}: ${size} bytes, ${stats.width}x${stats.height}, ${stats.distinctColours} colours`);
  });
});
