import { readFileSync } from 'node:fs';

/**
 * The package version, read once from chatmill's package.json: the nearest one above this file, which is two
 * levels up from dist/src and from the bundled CLI in dist/src/cli (scripts/bundle.mjs), one from src/.
 */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'chatmill' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
