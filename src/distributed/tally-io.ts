import { Tally } from '../tally.js';

/** A tally as JSON, so ranks can hand their counts to the merge. */
export interface TallyJson {
  files: [string, { read: number; kept: number; rejected: number; dropped: number; formats: [string, number][] }][];
  reasons: Record<string, number>;
  warnings: Record<string, number>;
  dropReasons: Record<string, number>;
  stages: [string, { received: number; emitted: number; rejected: number; dropped: number }][];
}

export function tallyToJson(t: Tally): TallyJson {
  return {
    files: [...t.files].map(([p, b]) => [p, { read: b.read, kept: b.kept, rejected: b.rejected, dropped: b.dropped, formats: [...b.formats] }]),
    reasons: { ...t.reasons },
    warnings: { ...t.warnings },
    dropReasons: { ...t.dropReasons },
    stages: [...t.stages].map(([n, c]) => [n, { ...c }]),
  };
}

const addAll = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) {
    const v = (into[k] ?? 0) + n;
    if (v) into[k] = v;
    else delete into[k];
  }
};

/** Add a rank's counts into `into`. Files and stages already in `into` keep their place, so create them in pipeline order first. */
export function addTally(into: Tally, from: TallyJson): void {
  for (const [path, b] of from.files) {
    const book = into.file(path);
    book.read += b.read;
    book.kept += b.kept;
    book.rejected += b.rejected;
    book.dropped += b.dropped;
    for (const [f, n] of b.formats) book.formats.set(f, (book.formats.get(f) ?? 0) + n);
  }
  addAll(into.reasons, from.reasons);
  addAll(into.warnings, from.warnings);
  addAll(into.dropReasons, from.dropReasons);
  for (const [name, c] of from.stages) {
    const s = into.stage(name);
    s.received += c.received;
    s.emitted += c.emitted;
    s.rejected += c.rejected;
    s.dropped += c.dropped;
  }
}
