// Preloaded into a benchmarked child (`node --import ./bench/rss-at-exit.mjs ...`): at exit it writes the process's
// peak RSS (worker threads included: they share the process) to the file named by CHATMILL_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.CHATMILL_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
