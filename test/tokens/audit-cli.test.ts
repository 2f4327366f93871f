/**
 * `chatmill audit` as a user runs it: a spawned `node dist/src/cli/main.js audit …` (build first with
 * `npx tsc -p .`) on the real files. CHATMILL_CLI may point at another entry exposing `audit`.
 * Totals are checked against the Rust tokenizer on the ChatML text of the same records.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Audit } from '../../schemas/audit.js';
import type { Conversation } from '../../schemas/chatml.js';
import { renderChatML } from '../../src/chatml/render.js';
import { runIngest } from '../../src/ingest.js';
import { HAS_REALDATA, REALDATA, rustHermes3 } from './helpers.js';

const CLI = resolve(process.env.CHATMILL_CLI ?? 'dist/src/cli/main.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'audit', ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function cliUsable(): Promise<boolean> {
  if (!existsSync(CLI)) return false;
  const probe = await run(['--help']);
  return probe.code === 0 && probe.stdout.includes('--tokenizer');
}
const usable = await cliUsable();
if (!usable) console.warn(`skipping audit CLI tests: ${CLI} is missing or does not start (run \`npx tsc -p .\`)`);
if (!HAS_REALDATA) console.warn('skipping audit CLI tests on real files: ../shared/realdata is absent');

/** Total tokens of the normalized records, by the Rust tokenizer on their ChatML text with its own BOS. */
async function rustTotal(file: string): Promise<{ records: number; tokens: number }> {
  const convs: Conversation[] = [];
  await runIngest({ inputs: [file], onOutput: (item) => void convs.push(item.value as Conversation) });
  const encs = await rustHermes3().encodeBatch(convs.map((c) => renderChatML(c.messages, c.tools)), { addSpecialTokens: true });
  return { records: convs.length, tokens: encs.reduce((n, e) => n + e.getLength(), 0) };
}

const FILES = [
  'llamafactory/glaive_toolcall_en_demo.json',
  'llamafactory/glaive_toolcall_zh_demo.json',
  'llamafactory/alpaca_en_demo.json',
  'llamafactory/alpaca_zh_demo.json',
  'fastchat/dummy_conversation.json',
  'openai-cookbook/drone_training.jsonl',
];

describe.skipIf(!usable || !HAS_REALDATA)('chatmill audit on the real files (spawned CLI)', () => {
  it.each(FILES.filter((f) => existsSync(join(REALDATA, f))))('%s --json gives the Audit contract, totals equal Rust', async (file) => {
    const path = join(REALDATA, file);
    const out = mkdtempSync(join(tmpdir(), 'chatmill-audit-'));
    const r = await run([path, '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const audit = Audit.parse(JSON.parse(r.stdout));
    expect(r.stdout).toBe(readFileSync(join(out, 'audit.json'), 'utf8'));
    expect(existsSync(join(out, 'audit.md')) && existsSync(join(out, 'audit.html'))).toBe(true);
    expect(audit.tokenizer).toMatchObject({ name: 'hermes3', vocab_size: 128256 });
    expect(audit.instruction_tokens + audit.response_tokens).toBe(audit.tokens);
    expect(audit.length_histogram.reduce((n, b) => n + b.records, 0)).toBe(audit.records);
    expect(Object.values(audit.by_source).reduce((n, b) => n + b.tokens, 0)).toBe(audit.tokens);
    const want = await rustTotal(path);
    expect([audit.records, audit.tokens]).toEqual([want.records, want.tokens]);
    expect(r.stderr).toMatch(/response share/);
  });

  it('--template tokenizer with the llama3 preset, fixed date, and --category', async () => {
    const path = join(REALDATA, 'llamafactory/alpaca_en_demo.json');
    const out = mkdtempSync(join(tmpdir(), 'chatmill-audit-'));
    const r = await run([path, '--json', '--out', out, '--tokenizer', 'llama3', '--template', 'tokenizer', '--template-date', '01 Jan 2025', '--category', 'alpaca_en_demo.json=general']);
    expect(r.code, r.stderr).toBe(0);
    const audit = Audit.parse(JSON.parse(r.stdout));
    expect(audit.template).toBe('tokenizer');
    expect(Object.keys(audit.by_category)).toEqual(['general']);
    expect(audit.instruction_tokens + audit.response_tokens).toBe(audit.tokens);
  });

  it('--over-length drop at a small --max-length drops and counts records', async () => {
    const path = join(REALDATA, 'llamafactory/glaive_toolcall_en_demo.json');
    const out = mkdtempSync(join(tmpdir(), 'chatmill-audit-'));
    const r = await run([path, '--json', '--out', out, '--max-length', '512', '--over-length', 'drop']);
    expect(r.code, r.stderr).toBe(0);
    const audit = Audit.parse(JSON.parse(r.stdout));
    expect(audit.over_max_length).toBeGreaterThan(0);
    expect(audit.records + audit.over_max_length).toBe(300);
    expect(audit.length_histogram.at(-1)!.records).toBe(0);
  });

  it('bad options exit 2 with a clear message', async () => {
    const path = join(REALDATA, 'llamafactory/alpaca_en_demo.json');
    const a = await run([path, '--roles-to-train', 'wizard']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown role "wizard"/);
    const b = await run([path, '--tokenizer', '/nonexistent/tokenizer.json']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/not found/);
  });
});
