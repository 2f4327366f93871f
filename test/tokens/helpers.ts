import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
