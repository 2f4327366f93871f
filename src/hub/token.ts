/**
 * Hub access token handling. The token is a secret: it is read once, validated, and from then on
 * only travels inside Authorization headers. Anything we print passes through `scrubSecrets` first.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../types.js';

export interface TokenSource {
  /** Usually `process.env`; injected so tests and callers decide where the token comes from. */
  env: Record<string, string | undefined>;
  /** A file holding the token (first line, surrounding whitespace ignored). Wins over the env. */
  tokenFile?: string;
  /** When false, a missing token is not an error (read-only planning of a public repo). */
  required: boolean;
}

/** Hub tokens are `hf_` followed by letters and digits; the client library refuses anything else. */
const TOKEN_SHAPE = /^hf_[A-Za-z0-9]{8,200}$/;

export async function resolveToken(source: TokenSource): Promise<string | undefined> {
  let token: string | undefined;
  let origin: string;
  if (source.tokenFile !== undefined) {
    origin = `--token-file ${source.tokenFile}`;
    try {
      token = (await readFile(source.tokenFile, 'utf8')).split(/\r?\n/)[0]?.trim();
    } catch (err) {
      // The message names the file, never its content.
      throw new UsageError(`cannot read ${origin}: ${(err as NodeJS.ErrnoException).code ?? 'read error'}`);
    }
  } else {
    origin = 'HF_TOKEN';
    token = source.env.HF_TOKEN?.trim();
  }
  if (!token) {
    if (!source.required) return undefined;
    throw new UsageError(`no Hub token: set HF_TOKEN or pass --token-file (checked ${origin})`);
  }
  if (!TOKEN_SHAPE.test(token)) {
    // Do not echo the value: a mangled token is still mostly a secret.
    throw new UsageError(`the token from ${origin} does not look like a Hub token (expected hf_ followed by letters/digits)`);
  }
  return token;
}

const MASK = 'hf_***';

/**
 * Remove secrets from text meant for humans or logs: the token itself (also URL-encoded), any other
 * `hf_…` token-shaped string, Bearer credentials and user:password parts of URLs.
 */
export function scrubSecrets(text: string, token?: string): string {
  let out = text;
  if (token) {
    // The secret part alone (without `hf_`) is just as sensitive, e.g. when a server echoes it back.
    const secret = token.startsWith('hf_') && token.length >= 11 ? token.slice(3) : token;
    for (const form of [token, encodeURIComponent(token), secret, encodeURIComponent(secret)]) out = out.split(form).join(MASK);
  }
  return out
    .replace(/\bhf_[A-Za-z0-9]{8,}/g, MASK)
    .replace(/(Bearer\s+)[^\s"',;]+/gi, `$1${MASK}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, '$1***@');
}

/** Turn any thrown value into an Error whose message (and stack) carry no secret. */
export function scrubError(err: unknown, token?: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  const clean = new Error(scrubSecrets(`${e.message}${cause}`, token));
  clean.name = e.name;
  clean.stack = scrubSecrets(e.stack ?? clean.message, token);
  const status = (e as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') Object.assign(clean, { statusCode: status });
  return clean;
}

/** Loopback addresses never leave the machine, so plain http there (a local mirror, a test server) exposes nothing. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The token travels in an Authorization header; over plain http to another machine anyone on the path can
 * read it. Refuse, unless the user says the network is theirs with CHATMILL_ALLOW_HTTP_HUB=1.
 */
export function refuseTokenOverPlainHttp(hubUrl: string, env: Record<string, string | undefined>): void {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new UsageError(`--hub-url ${hubUrl} is not a valid URL`);
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname) || env.CHATMILL_ALLOW_HTTP_HUB === '1') return;
  throw new UsageError(
    `refusing to send the Hub token over plain http to ${url.host}: use an https:// --hub-url ` +
      `(or set CHATMILL_ALLOW_HTTP_HUB=1 if that network is yours)`,
  );
}
