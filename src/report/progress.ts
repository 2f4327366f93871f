/**
 * A one-line progress display for long runs: records read, records/s and elapsed time, redrawn in place
 * at most 10 times a second. It only draws on a terminal; in CI logs and pipes it stays silent, so
 * nothing but the summary lands there.
 */
export interface Progress {
  tick(records?: number): void;
  done(): void;
}

export function createProgress(options: { label: string; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return { tick: () => undefined, done: () => undefined };
  const started = Date.now();
  let records = 0;
  let lastDraw = 0;
  const draw = () => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(records / secs) : 0;
    const line = `${options.label}: ${records.toLocaleString('en-US')} records · ${rate.toLocaleString('en-US')}/s · ${secs.toFixed(1)}s`;
    stream.write(`\r${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}\x1b[K`);
  };
  return {
    tick(n = 1) {
      records += n;
      const now = Date.now();
      if (now - lastDraw >= 100) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      if (records > 0) {
        draw();
        stream.write('\n');
      }
    },
  };
}
