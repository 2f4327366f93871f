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

/**
 * yargs measures help text with string-width (three copies in node_modules), and each copy does costly work when it
 * is imported: it builds an Intl.Segmenter (~19 ms: ICU's break-iterator data) and holds regular expressions with
 * Unicode property escapes, which V8 checks when it parses the file, used or not (`/^\p{RGI_Emoji}$/v` alone
 * ~33 ms). Only help text needs them, and a run never prints help: this was a quarter of a 1-record audit's own
 * time. So string-width's module body runs on its first call instead of at import, and those literals in it become
 * RegExp constructions, which run (once) with the body. emoji-regex is left alone: its function returns a new
 * literal on every call, cheap as a literal (~2.5 ms to parse), but compiled again each time as a construction
 * (help text took 0.8 s). The help text is unchanged (test/cli/bundle.test.ts compares it with tsc's build).
 */
const DEFERRED = 'string-width';
/** A top-level `const NAME = /literal/flags;` (character classes may hold a `/`). */
const TOP_LEVEL_REGEX = /^const (\w+) = \/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\[\n])+)\/([dgimsuyv]*);$/gm;

function deferStartupWork(code, id) {
  if (packageOfPath(id) !== DEFERRED) return null;
  const withConstructions = code.replace(TOP_LEVEL_REGEX, (all, name, body, flags) =>
    body.includes('\\p{') ? `const ${name} = new RegExp(${JSON.stringify(body)}, ${JSON.stringify(flags)});` : all);
  // The imports stay at the top; the rest, whose only export is the default function, runs on the first call.
  const lines = withConstructions.split('\n');
  const firstBody = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('import '));
  const body = lines.slice(firstBody).join('\n');
  const exports = body.match(/^export\b.*$/gm) ?? [];
  if (exports.length !== 1 || !/^export default function stringWidth\(/.test(exports[0])) {
    throw new Error(`scripts/bundle.mjs: ${id} no longer has one export, \`export default function stringWidth(\`; update deferStartupWork`);
  }
  const out = [
    ...lines.slice(0, firstBody),
    'let stringWidthOnceLoaded;',
    'export default function stringWidth(...args) {',
    '\treturn (stringWidthOnceLoaded ??= loadStringWidth())(...args);',
    '}',
    'function loadStringWidth() {',
    body.replace(/^export default function stringWidth\(/m, 'function stringWidth('),
    'return stringWidth;',
    '}',
  ].join('\n');
  return { code: out, map: null };
}

const packageOfPath = (path) => {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  return parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
};

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
  plugins: [{ name: 'defer-startup-work', transform: deferStartupWork }],
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
