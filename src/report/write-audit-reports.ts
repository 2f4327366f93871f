import { join } from 'node:path';
import type { Audit } from '../../schemas/audit.js';
import { auditHtml } from './audit-html.js';
import { auditJson } from './audit-json.js';
import { auditMarkdown } from './audit-markdown.js';
import { pairsMarkdown, type PairsReport } from './pairs-section.js';
import { mixMarkdown, type MixSection } from './mix-section.js';
import { writeFileAtomic } from '../outputs/atomic.js';
import type { CurationStageReport } from '../checks/curation-log.js';

export interface WriteAuditReportsOptions {
  dir: string;
  audit: Audit;
  /** Response share to compare against; Hermes 3 reported 0.69. */
  targetResponseShare?: number;
  /** Max sequence length in tokens, drawn on the length histogram. */
  maxLength?: number;
  title?: string;
  /** Preference datasets of the same run: pairs per source, margins, length bias (not part of audit.json). */
  pairs?: PairsReport[];
  /**
   * Mix stages of the same run, or the plan of `audit --target`: target vs built per group (not part of
   * audit.json, whose numbers are in `{dataset}.mix.json` / `mix-plan.json`).
   */
  mixes?: MixSection[];
  /** The dataset's curation stages (Curation section of audit.md and audit.html). */
  curation?: CurationStageReport[];
}

export interface AuditReportPaths {
  json: string;
  markdown: string;
  html: string;
}

/** The report file names, one per format. */
export const AUDIT_FILES: Readonly<AuditReportPaths> = { json: 'audit.json', markdown: 'audit.md', html: 'audit.html' };

/** Render all three reports in memory: a bad audit throws before any file is touched. */
export function renderAuditReports(options: Omit<WriteAuditReportsOptions, 'dir'>): AuditReportPaths {
  const { audit, targetResponseShare = 0.69, maxLength = 8192, title, pairs, mixes, curation } = options;
  const json = auditJson(audit);
  const view = { audit, targetResponseShare, maxLength, title, curation };
  const markdown = [auditMarkdown(view), ...(mixes?.length ? [mixMarkdown(mixes)] : []), ...(pairs?.length ? [pairsMarkdown(pairs)] : [])].join('\n');
  const html = auditHtml({ ...view, pairs, mixes });
  return { json, markdown, html };
}

/**
 * Write dir/audit.json (the Audit object, validated, stable key order), dir/audit.md (GitHub job
 * summary friendly) and dir/audit.html (self-contained charts). Creates `dir` if needed. Each file appears
 * whole (temporary name, then rename).
 */
export async function writeAuditReports(options: WriteAuditReportsOptions): Promise<AuditReportPaths> {
  const rendered = renderAuditReports(options);
  const paths = {
    json: join(options.dir, AUDIT_FILES.json),
    markdown: join(options.dir, AUDIT_FILES.markdown),
    html: join(options.dir, AUDIT_FILES.html),
  };
  // Written side by side: one after another, each waited for its own open, write and rename in turn.
  await Promise.all((['json', 'markdown', 'html'] as const).map((k) => writeFileAtomic(paths[k], rendered[k])));
  return paths;
}
