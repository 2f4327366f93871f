// Bundles the command line (run after `tsc`; part of `npm run build`), so that starting `chatmill` loads a
// handful of files instead of ~300 ES modules: on a 1-record audit, resolving, reading and linking each module
// was a third of the run. The bundle replaces dist/src/cli/main.js in place, so every path that names the CLI
// (bin, tests, bench, executors) runs it; tsc's unbundled output elsewhere in dist/ stays as it is, for the
// tests and bench scripts that import modules directly.
//
//   dist/src/cli/main.js              the CLI (entry)
//   dist/src/cli/tokenize-worker.js   the tokenize worker thread (entry: tokenize-stage looks for it beside itself)
//   dist/src/cli/bundle-*.js          chunks: one per dynamic import, so a command loads only what it uses
//
// Every output file sits in dist/src/cli/, where tsc's main.js was, so code that finds files relative to
// import.meta.url (the worker script, package.json, the CLI itself for `launch`) finds them as before.
// Packages are bundled only when named in BUNDLED (with everything they import): pure-JS packages loaded at
// start-up or by `run`. The rest stay imports from node_modules: native addons, packages loaded through
// createRequire, and the rarely used ones (the Hub client, the Parquet reader's codecs, glob matching).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_DIR = join(ROOT, 'dist', 'src', 'cli');
const ENTRY = join(CLI_DIR, 'main.js');
const WORKER = join(ROOT, 'dist', 'src', 'parallel', 'tokenize-worker.js');
const STAGING = join(ROOT, 'dist', '.bundle-staging');
/** First line of every bundle file: how this script knows main.js is already a bundle, not tsc's output. */
const BANNER = '// chatmill bundle (scripts/bundle.mjs): built from dist/ after tsc.';

const BUNDLED = new Set(['yargs', 'zod', 'yaml', 'apache-arrow', 'hyparquet', 'hyparquet-writer']);

const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[a-z]+:/i.test(id);
const insideNodeModules = (path) => path !== undefined && path.split(/[\\/]/).includes('node_modules');

for (const f of [ENTRY, WORKER]) {
  if (!existsSync(f)) throw new Error(`scripts/bundle.mjs: ${f} is missing; run tsc first (npm run build does both)`);
}
if (readFileSync(ENTRY, 'utf8').slice(0, 200).includes(BANNER)) {
  throw new Error('scripts/bundle.mjs: dist/src/cli/main.js is already a bundle; run tsc first (npm run build does both)');
}

rmSync(STAGING, { recursive: true, force: true });
await build({
  input: { main: ENTRY, 'tokenize-worker': WORKER },
  platform: 'node',
  // A bare import from our code is bundled only for the packages named above; an import made by a bundled
  // package is bundled too, so it gets the version it was installed with (nested node_modules), not the
  // hoisted one a runtime import from dist/ would find.
  external: (id, importer) => {
    if (id.startsWith('node:')) return true;
    if (!isBare(id)) return false;
    return !insideNodeModules(importer) && !BUNDLED.has(packageOf(id));
  },
  logLevel: 'warn',
  output: {
    dir: STAGING,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'bundle-[name]-[hash].js',
    banner: BANNER,
  },
});

// Swap in the new files: old chunks first (their names change with their content), the entries last.
for (const f of readdirSync(CLI_DIR)) if (f.startsWith('bundle-') && f.endsWith('.js')) rmSync(join(CLI_DIR, f));
rmSync(join(CLI_DIR, 'main.js.map'), { force: true });
mkdirSync(CLI_DIR, { recursive: true });
const built = readdirSync(STAGING);
for (const f of built.filter((f) => f.startsWith('bundle-'))) renameSync(join(STAGING, f), join(CLI_DIR, f));
for (const f of built.filter((f) => !f.startsWith('bundle-'))) renameSync(join(STAGING, f), join(CLI_DIR, f));
rmSync(STAGING, { recursive: true, force: true });
