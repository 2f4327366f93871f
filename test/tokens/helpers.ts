import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import rust from 'tokenizers';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';

export const REALDATA = join(process.cwd(), '..', 'shared', 'realdata');
export const HAS_REALDATA = existsSync(REALDATA);

let ours: Promise<{ hermes3: TokenEncoder; llama3: TokenEncoder }> | undefined;
/** Our encoders for both presets, built once per test file. */
export function encoders() {
  ours ??= (async () => ({
    hermes3: new TokenEncoder(await resolveTokenizerFiles({ spec: 'hermes3' })),
    llama3: new TokenEncoder(await resolveTokenizerFiles({ spec: 'llama3' })),
  }))();
  return ours;
}

let rustLlama: rust.Tokenizer | undefined;
/** Hugging Face's Rust tokenizer on the very same Llama 3.1 tokenizer.json file. */
export function rustLlama3(): rust.Tokenizer {
  rustLlama ??= rust.Tokenizer.fromFile(join(llama3Dir(), 'tokenizer.json'));
  return rustLlama;
}

let rustHermes: rust.Tokenizer | undefined;
/**
 * The Rust tokenizer with Hermes 3's ChatML tokens, built independently of our preset code: the
 * reserved slots are renamed in the raw file text, then the Rust library parses it.
 */
export function rustHermes3(): rust.Tokenizer {
  if (!rustHermes) {
    const text = readFileSync(join(llama3Dir(), 'tokenizer.json'), 'utf8')
      .replace('"<|reserved_special_token_31|>"', '"<|im_start|>"')
      .replace('"<|reserved_special_token_32|>"', '"<|im_end|>"');
    rustHermes = rust.Tokenizer.fromString(text);
  }
  return rustHermes;
}

export async function rustIds(tk: rust.Tokenizer, text: string, addSpecialTokens = false): Promise<number[]> {
  return (await tk.encode(text, null, { addSpecialTokens })).getIds();
}

/** Every string value in a JSON / JSONL (optionally gzipped) file under ../shared/realdata. */
export function realStrings(file: string): string[] {
  let text = readFileSync(join(REALDATA, file));
  if (file.endsWith('.gz')) text = gunzipSync(text);
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  const s = text.toString('utf8');
  if (file.includes('.jsonl')) for (const line of s.split('\n')) line.trim() && walk(JSON.parse(line));
  else walk(JSON.parse(s));
  return out;
}
