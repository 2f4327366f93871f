import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

function pipelineFile(yaml: string): string {
  const p = join(tmp(), 'p.yaml');
  writeFileSync(p, yaml);
  return p;
}

const INPUT = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] });

describe('pipeline files', () => {
  it('a misspelt stage key fails before any data moves, naming the file and the key path (exit 2)', async () => {
    const p = pipelineFile('name: t\ndatasets:\n  sft:\n    inputs: [x.jsonl]\n    stages:\n      - validate: {}\n      - tokenise: { max_length: 10 }\n');
    const r = await chatmill(['run', p, '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(p);
    expect(r.stderr).toMatch(/datasets\.sft\.stages\[1\].*unknown key "tokenise"/);
  });

  it('a wrong value names its key path too', async () => {
    const p = pipelineFile('name: t\ndatasets:\n  sft:\n    inputs: [x.jsonl]\n    stages:\n      - tokenize: { max_length: -5 }\n');
    const r = await chatmill(['run', p, '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/datasets\.sft\.stages\[0\]\.tokenize\.max_length/);
  });

  it('YAML that is not YAML, and an audit with no tokenize before it, are usage errors', async () => {
    expect((await chatmill(['run', pipelineFile('name: [unclosed\n'), '--out', tmp()])).code).toBe(2);
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${INPUT}\n`);
    const r = await chatmill(['run', pipelineFile(`name: t\ndatasets:\n  sft:\n    inputs: [${input}]\n    stages:\n      - audit: {}\n`), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stages\[0\]: an audit stage needs a tokenize stage before it/);
  });

  it('__proto__ in a pipeline file is refused as an unknown key and pollutes nothing', async () => {
    const r = await chatmill(['run', pipelineFile('name: t\n__proto__: { polluted: true }\ndatasets:\n  sft:\n    inputs: [x.jsonl]\n'), '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "__proto__"/);
  });

  it('a small pipeline with a custom column mapping runs and writes its JSONL', async () => {
    const dir = tmp();
    const input = join(dir, 'custom.jsonl');
    writeFileSync(input, `${JSON.stringify({ dialog: [{ speaker: 'human', text: 'Hi' }, { speaker: 'bot', text: 'Hey' }] })}\n`);
    const p = pipelineFile(
      `name: t\ndatasets:\n  sft:\n    inputs:\n      - path: ${input}\n        category: chat\n        columns: { messages: dialog, role: speaker, content: text }\n        roles: { bot: assistant }\n    stages:\n      - write: { path: sft.jsonl }\n`,
    );
    const r = await chatmill(['run', p, '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, kept: 1, rejected: 0 });
    const rec = JSON.parse(readFileSync(join(dir, 'sft.jsonl'), 'utf8'));
    expect(rec).toMatchObject({ category: 'chat', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hey' }] });
  });
});
