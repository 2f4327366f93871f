// Preloaded into a benchmarked child (`node --import ./bench/memory-sampler.mjs ...`) to see where its memory goes:
// every CHATMILL_BENCH_SAMPLE_MS (default 25) ms it samples process.memoryUsage() of the main thread; at exit it
// writes the samples and the one with the highest RSS to CHATMILL_BENCH_MEMORY_FILE as JSON. RSS counts worker
// threads too (one process); heapUsed/heapTotal/external/arrayBuffers are the main thread's isolate only.
import { writeFileSync } from 'node:fs';
import { peakRssBytes } from './peak-rss.mjs';

const file = process.env.CHATMILL_BENCH_MEMORY_FILE;
if (file) {
  const every = Number(process.env.CHATMILL_BENCH_SAMPLE_MS ?? 25);
  const t0 = performance.now();
  const samples = [];
  const mb = (n) => Math.round(n / 2 ** 20);
  const sample = () => {
    const m = process.memoryUsage();
    samples.push({ ms: Math.round(performance.now() - t0), rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) });
  };
  setInterval(sample, every).unref();
  process.on('exit', () => {
    sample();
    const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    writeFileSync(file, JSON.stringify({ peak, peakRssMB: mb(peakRssBytes()), samples }));
  });
}
