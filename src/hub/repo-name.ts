/**
 * Validation of `--repo ns/name`. The name is spliced into URL paths, so anything outside the Hub's
 * own charset (letters, digits, `-`, `_`, `.`; no leading/trailing punctuation, no `..` or `--`)
 * is refused before any request is made.
 */
import { UsageError } from '../types.js';

const PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function parseRepoName(input: string): { namespace: string; name: string; full: string } {
  const parts = typeof input === 'string' ? input.split('/') : [];
  if (parts.length !== 2) {
    throw new UsageError(`--repo must look like namespace/name (got ${JSON.stringify(String(input).slice(0, 120))})`);
  }
  const [namespace, name] = parts as [string, string];
  for (const [label, part, max] of [
    ['namespace', namespace, 42],
    ['name', name, 96],
  ] as const) {
    if (part.length === 0 || part.length > max || !PART.test(part) || part.includes('..') || part.includes('--')) {
      throw new UsageError(
        `--repo ${label} ${JSON.stringify(part.slice(0, 120))} is not valid: use 1-${max} letters, digits, '-', '_' or '.', ` +
          `starting and ending with a letter or digit, without '..' or '--'`,
      );
    }
  }
  return { namespace, name, full: `${namespace}/${name}` };
}

/** Branch names go into URL paths too. Git's rules, minus anything that needs escaping. */
export function checkBranchName(branch: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(branch) || branch.includes('..') || branch.endsWith('/') || branch.endsWith('.lock')) {
    throw new UsageError(`--branch ${JSON.stringify(branch.slice(0, 120))} is not a valid branch name`);
  }
  return branch;
}
