// A process's own peak RSS. Not `process.resourceUsage().maxRSS`: on Linux a spawned child's ru_maxrss starts at
// the RSS of its parent when it forked (the kernel carries the forked copy's high-water mark across exec), so a
// child of the bench, which by then holds the Rust tokenizer, rendered texts and DuckDB, reported the bench's RSS
// instead of its own: 559 MB for a pipeline whose own peak was 277 MB (1,071 MB on a quiet machine). VmHWM in
// /proc/self/status is the high-water mark of this process image alone (all its threads share it).
import { readFileSync } from 'node:fs';

export function peakRssBytes() {
  try {
    const m = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: no /proc
  }
  return process.resourceUsage().maxRSS * 1024;
}
