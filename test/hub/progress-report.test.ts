import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatBytes } from '../../src/hub/progress-report.js';
import { TOKEN } from './helpers.js';

describe('push progress lines', () => {
  it('prints milestones only when stderr is not a TTY', () => {
    const out: string[] = [];
    const report = createProgressReporter({ write: (t) => out.push(t), isTTY: false, token: TOKEN });
    report({ type: 'plan', upload: [{ path: 'a', size: 1_500_000 }], skip: 2, delete: ['x'], bytes: 1_500_000 });
    for (let i = 0; i < 50; i++) report({ type: 'file', path: `f${i}`, state: 'uploading', progress: 0.5 });
    report({ type: 'retry', attempt: 1, delayMs: 2000, reason: `HTTP 429 for Bearer ${TOKEN}`, url: 'http://h/x' });
    expect(out).toEqual([
      'push: 1 to upload (1.5 MB), 2 unchanged, 1 stale to delete\n',
      'push: HTTP 429 for Bearer hf_*** on http://h/x; retry 1 in 2.0 s\n',
    ]);
  });

  it('on a TTY, redraws one line for file progress and clears it before the next milestone', () => {
    const out: string[] = [];
    const report = createProgressReporter({ write: (t) => out.push(t), isTTY: true });
    report({ type: 'file', path: 'a', state: 'uploading', progress: 1 });
    report({ type: 'committed', index: 1, total: 1, oid: 'abc' });
    expect(out).toEqual(['\r\x1b[2Kuploading: 1/1 file(s) done', '\r\x1b[2K', 'push: commit 1/1 done: abc\n']);
  });

  it('formats byte counts in SI units', () => {
    expect([0, 999, 1000, 20_000, 12_345_678, 3e12].map(formatBytes)).toEqual(['0 B', '999 B', '1.0 kB', '20.0 kB', '12.3 MB', '3.0 TB']);
  });
});
