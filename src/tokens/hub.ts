import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../types.js';
import { refuseTokenOverPlainHttp } from '../hub/token.js';

export interface HubFetchOptions {
  repo: string;
  hubUrl?: string;
  cacheDir?: string;
  accessToken?: string;
}

/** The @huggingface/hub cache layout: <cache>/models--owner--name/snapshots/<commit>/<file>. */
function defaultCacheDir(): string {
  return process.env.HF_HUB_CACHE ?? join(process.env.HF_HOME ?? join(homedir(), '.cache', 'huggingface'), 'hub');
}

/** A snapshot already in the cache that has tokenizer.json, so a later offline run still works. */
function cachedSnapshot(cacheDir: string, repo: string): string | undefined {
  const snaps = join(cacheDir, `models--${repo.replace('/', '--')}`, 'snapshots');
  if (!existsSync(snaps)) return undefined;
  for (const commit of readdirSync(snaps)) {
    const file = join(snaps, commit, 'tokenizer.json');
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Download tokenizer.json and tokenizer_config.json of a Hub model into the cache and return the
 * tokenizer.json path. The two land in the same snapshot folder, so the config is found beside it.
 * The token comes from the caller or HF_TOKEN and never appears in an error message.
 */
export async function fetchHubTokenizer(opts: HubFetchOptions): Promise<string> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const accessToken = opts.accessToken ?? process.env.HF_TOKEN ?? undefined;
  if (accessToken) refuseTokenOverPlainHttp(opts.hubUrl ?? 'https://huggingface.co', process.env);
  const { downloadFileToCacheDir } = await import('@huggingface/hub');
  const common = { repo: { type: 'model' as const, name: opts.repo }, hubUrl: opts.hubUrl, cacheDir, accessToken };
  // @huggingface/hub logs "Downloading ..." with console.debug, i.e. to stdout, which `--json` owns.
  const debug = console.debug;
  console.debug = (...a: unknown[]) => void process.stderr.write(`${a.join(' ')}\n`);
  try {
    const jsonPath = await downloadFileToCacheDir({ ...common, path: 'tokenizer.json' });
    try {
      await downloadFileToCacheDir({ ...common, path: 'tokenizer_config.json' });
    } catch {
      // Some repos ship no tokenizer_config.json; the tokenizer still works without a chat template.
    }
    return jsonPath;
  } catch (err) {
    const cached = cachedSnapshot(cacheDir, opts.repo);
    if (cached) return cached;
    const msg = String((err as Error)?.message ?? err);
    const safe = accessToken ? msg.split(accessToken).join('***') : msg;
    throw new UsageError(`cannot fetch tokenizer for Hub model ${opts.repo} (and none is cached in ${cacheDir}): ${safe}`);
  } finally {
    console.debug = debug;
  }
}
