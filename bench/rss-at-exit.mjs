// Preloaded into a benchmarked child (`node --import ./bench/rss-at-exit.mjs ...`): at exit it writes the process's
// peak RSS (its own: bench/peak-rss.mjs) and CPU time (worker threads included: they share the process) as JSON to
// CHATMILL_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';
import { peakRssBytes } from './peak-rss.mjs';

const file = process.env.CHATMILL_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ rssBytes: peakRssBytes(), cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
