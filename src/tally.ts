import type { SourceRef } from './types.js';

export interface FileCounts {
  path: string;
  format: string;
  read: number;
  kept: number;
  rejected: number;
  dropped: number;
}

/** The `--json` summary contract shared by validate, convert, run (and pairs, which adds `pairs`). */
export interface Summary {
  files: FileCounts[];
  read: number;
  kept: number;
  rejected: number;
  dropped: number;
  reasons: Record<string, number>;
  warnings: Record<string, number>;
}

export interface StageCounts {
  received: number;
  emitted: number;
  rejected: number;
  dropped: number;
}

interface FileBook {
  read: number;
  kept: number;
  rejected: number;
  dropped: number;
  formats: Map<string, number>;
}

/**
 * Reject reasons that mean an input file itself is damaged (cut short, or a container that cannot be read
 * past some point), not just one record in it. The records around the fault are still kept, but the
 * command exits 1 so that CI notices data went missing. The one place these are listed.
 */
export const FILE_FAULT_REASONS: ReadonlySet<string> = new Set(['truncated_file', 'corrupt_file']);

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/**
 * All the counting of a run: per file (for conservation), per reason and warning code, per stage.
 * Keys come from our own reason codes and file paths, so plain objects are built with a null prototype.
 */
export class Tally {
  readonly files = new Map<string, FileBook>();
  readonly reasons: Record<string, number> = Object.create(null);
  readonly warnings: Record<string, number> = Object.create(null);
  readonly dropReasons: Record<string, number> = Object.create(null);
  readonly stages = new Map<string, StageCounts>();

  file(source: string): FileBook {
    let book = this.files.get(source);
    if (!book) {
      book = { read: 0, kept: 0, rejected: 0, dropped: 0, formats: new Map() };
      this.files.set(source, book);
    }
    return book;
  }

  stage(name: string): StageCounts {
    let s = this.stages.get(name);
    if (!s) {
      s = { received: 0, emitted: 0, rejected: 0, dropped: 0 };
      this.stages.set(name, s);
    }
    return s;
  }

  warn(code: string, _ref: SourceRef): void {
    bump(this.warnings, code);
  }

  noteFormat(ref: SourceRef, format: string): void {
    const f = this.file(ref.source).formats;
    f.set(format, (f.get(format) ?? 0) + 1);
  }

  countReason(reason: string): void {
    bump(this.reasons, reason);
  }

  countDropReason(reason: string): void {
    bump(this.dropReasons, reason);
  }

  /** Reasons of the file-level faults met in this run, with counts (empty when none). */
  fileFaults(): Record<string, number> {
    const faults: Record<string, number> = {};
    for (const r of FILE_FAULT_REASONS) if (this.reasons[r]) faults[r] = this.reasons[r];
    return faults;
  }

  summary(): Summary {
    const files: FileCounts[] = [];
    const total = { read: 0, kept: 0, rejected: 0, dropped: 0 };
    for (const [path, b] of this.files) {
      files.push({ path, format: dominantFormat(b.formats), read: b.read, kept: b.kept, rejected: b.rejected, dropped: b.dropped });
      total.read += b.read;
      total.kept += b.kept;
      total.rejected += b.rejected;
      total.dropped += b.dropped;
    }
    return { files, ...total, reasons: sorted(this.reasons), warnings: sorted(this.warnings) };
  }
}

/** One format name per file: the only one seen, `mixed` when several, `none` when no record parsed. */
function dominantFormat(formats: Map<string, number>): string {
  if (formats.size === 0) return 'none';
  if (formats.size === 1) return [...formats.keys()][0];
  return 'mixed';
}

function sorted(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}
