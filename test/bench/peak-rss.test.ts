/**
 * The bench reports each child's own peak RSS. On Linux a spawned child's ru_maxrss (process.resourceUsage().maxRSS)
 * starts at its parent's RSS when it forked, which made the bench report its own ~1 GB as the pipeline's peak.
 * Here a parent holding 300 MB spawns a small child: the child's maxRSS shows the parent's memory, peakRssBytes()
 * (bench/peak-rss.mjs) shows the child's own.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const MB = 2 ** 20;

describe.runIf(process.platform === 'linux')('bench/peak-rss.mjs', () => {
  it("reports a spawned child's own peak RSS, not its parent's", () => {
    const peakRss = pathToFileURL(join(ROOT, 'bench', 'peak-rss.mjs')).href;
    const child = `import(${JSON.stringify(peakRss)}).then((m) => console.log(JSON.stringify({ own: m.peakRssBytes(), maxRSS: process.resourceUsage().maxRSS * 1024 })))`;
    const parent = `
      const held = Buffer.alloc(300 * 2 ** 20, 1);
      const out = require('node:child_process').execFileSync(process.execPath, ['-e', ${JSON.stringify(child)}], { encoding: 'utf8' });
      console.log(out.trim(), held.length);`;
    const line = execFileSync(process.execPath, ['-e', parent], { encoding: 'utf8' }).trim().split(' ')[0];
    const { own, maxRSS } = JSON.parse(line) as { own: number; maxRSS: number };
    expect(maxRSS).toBeGreaterThan(300 * MB); // the kernel behaviour the bench must not trust
    expect(own).toBeLessThan(150 * MB); // a bare node process
    expect(own).toBeGreaterThan(10 * MB);
  });
});
