import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Audit } from '../../schemas/audit.js';
import { auditHtml } from './audit-html.js';
import { auditJson } from './audit-json.js';
import { auditMarkdown } from './audit-markdown.js';
import { pairsMarkdown, type PairsReport } from './pairs-section.js';

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
}

export interface AuditReportPaths {
  json: string;
  markdown: string;
  html: string;
}

/**
 * Write dir/audit.json (the Audit object, validated, stable key order), dir/audit.md (GitHub job
 * summary friendly) and dir/audit.html (self-contained charts). Creates `dir` if needed.
 */
export async function writeAuditReports(options: WriteAuditReportsOptions): Promise<AuditReportPaths> {
  const { dir, audit, targetResponseShare = 0.69, maxLength = 8192, title, pairs } = options;
  // Render everything first: a bad audit throws before any file is half-written.
  const json = auditJson(audit);
  const view = { audit, targetResponseShare, maxLength, title };
  const markdown = pairs?.length ? `${auditMarkdown(view)}\n${pairsMarkdown(pairs)}` : auditMarkdown(view);
  const html = auditHtml({ ...view, pairs });
  await mkdir(dir, { recursive: true });
  const paths = { json: join(dir, 'audit.json'), markdown: join(dir, 'audit.md'), html: join(dir, 'audit.html') };
  await writeFile(paths.json, json);
  await writeFile(paths.markdown, markdown);
  await writeFile(paths.html, html);
  return paths;
}
