/**
 * Turns push events into stderr lines. On a terminal, per-file upload progress refreshes one line in
 * place; elsewhere (CI logs) only the milestones are printed: plan, each commit, retries, re-plans.
 * Every line passes through scrubSecrets.
 */
import type { PushEvent } from './push-events.js';
import { scrubSecrets } from './token.js';
import { decimalUnits } from '../export/size.js';

/** Progress lines keep one decimal (the card uses formatSize, with two below 10). */
export function formatBytes(n: number): string {
  const [value, unit] = decimalUnits(n);
  return `${unit === 'B' ? value : value.toFixed(1)} ${unit}`;
}

export function createProgressReporter(options: { write: (text: string) => void; isTTY: boolean; token?: string }) {
  const say = (line: string) => options.write(`${scrubSecrets(line, options.token)}\n`);
  let live = false; // a refreshing line is on screen
  let lastDraw = 0;
  const fileProgress = new Map<string, number>();
  const clearLive = () => {
    if (live) options.write('\r\x1b[2K');
    live = false;
  };

  return (event: PushEvent): void => {
    if (event.type === 'file') {
      if (!options.isTTY || event.state !== 'uploading') return;
      fileProgress.set(event.path, event.progress);
      const now = Date.now();
      if (now - lastDraw < 200) return; // redraw at most 5 times a second
      lastDraw = now;
      const done = [...fileProgress.values()].filter((p) => p >= 1).length;
      options.write(`\r\x1b[2Kuploading: ${done}/${fileProgress.size} file(s) done`);
      live = true;
      return;
    }
    clearLive();
    switch (event.type) {
      case 'scanned':
        return say(`push: ${event.files} local file(s), ${formatBytes(event.bytes)}`);
      case 'created':
        return say(`push: created dataset repo ${event.repo}`);
      case 'plan':
        return say(`push: ${event.upload.length} to upload (${formatBytes(event.bytes)}), ${event.skip} unchanged, ${event.delete.length} stale to delete`);
      case 'commit':
        fileProgress.clear();
        return say(`push: commit ${event.index}/${event.total}: ${event.files} file(s) (${formatBytes(event.bytes)})${event.deletes ? `, ${event.deletes} deletion(s)` : ''}`);
      case 'committed':
        return say(`push: commit ${event.index}/${event.total} done: ${event.oid}`);
      case 'retry':
        return say(`push: ${event.reason} on ${event.url}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`);
      case 'replan':
        return say(`push: ${event.reason}`);
    }
  };
}
