import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { UsageError } from '../../src/types.js';
import { rustIds, rustLlama3 } from './helpers.js';
import { startMiniHub } from './hub-server.js';

describe('a Hub model id is fetched with @huggingface/hub (local server) and cached', () => {
  it('downloads tokenizer.json + config with the token, then works from the cache offline', async () => {
    const files = {
      'tokenizer.json': readFileSync(join(llama3Dir(), 'tokenizer.json')),
      'tokenizer_config.json': readFileSync(join(llama3Dir(), 'tokenizer_config.json')),
    };
    const hub = await startMiniHub({ repo: 'acme/tiny-llama', files });
    const cacheDir = mkdtempSync(join(tmpdir(), 'chatmill-hf-cache-'));
    const got = await resolveTokenizerFiles({ spec: 'acme/tiny-llama', hubUrl: hub.url, cacheDir, accessToken: 'hf_secret_for_test' });
    expect(hub.authorizations).toContain('Bearer hf_secret_for_test');
    expect(got.name).toBe('acme/tiny-llama');
    expect(typeof got.config.chat_template).toBe('string');
    const enc = new TokenEncoder(got);
    expect(enc.encode('Hello from the Hub 🤗')).toEqual(await rustIds(rustLlama3(), 'Hello from the Hub 🤗'));
    await hub.close();

    // Server gone: the cached snapshot is used.
    const again = await resolveTokenizerFiles({ spec: 'acme/tiny-llama', hubUrl: hub.url, cacheDir });
    expect(again.sha256).toBe(got.sha256);
  });

  it('an unreachable Hub with nothing cached is a clear UsageError that does not leak the token', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'chatmill-hf-cache-'));
    const err = await resolveTokenizerFiles({ spec: 'acme/none', hubUrl: 'http://127.0.0.1:9', cacheDir, accessToken: 'hf_do_not_leak' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/cannot fetch tokenizer for Hub model acme\/none/);
    expect(err.message).not.toContain('hf_do_not_leak');
  });

  it('a spec that is no preset, path or model id is rejected', async () => {
    await expect(resolveTokenizerFiles({ spec: 'not a model id!' })).rejects.toThrow(/neither a preset/);
  });
});
