import { linkSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { jsonlFile, PREF_RECORD } from './helpers.js';

/**
 * Issue 10, item 1: an output path that is an input path used to truncate the input to 0 bytes and exit 0.
 * Every case must exit 2, name both paths, and leave the input's bytes exactly as they were.
 */
async function expectRefused(args: string[], input: string, opts: { cwd?: string } = {}) {
  const before = readFileSync(input);
  const r = await chatmill(args, opts);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/would (destroy|replace)/);
  expect(readFileSync(input).equals(before), 'the input is unchanged').toBe(true);
  return r;
}

describe('an output that is an input is a usage error, and the input is untouched', () => {
  it('convert x.jsonl -o x.jsonl', async () => {
    const x = jsonlFile('x.jsonl', 20);
    const r = await expectRefused(['convert', x, '-o', x], x);
    expect(r.stderr).toContain(`-o ${x} is the input file ${x}`);
  });

  it('validate y.jsonl --rejects y.jsonl, and --dropped', async () => {
    const y = jsonlFile('y.jsonl', 20);
    await expectRefused(['validate', y, '--rejects', y], y);
    await expectRefused(['convert', y, '-o', join(tmp(), 'o.jsonl'), '--dropped', y], y);
  });

  it('pairs z.json -o z.json, and --stats z.json', async () => {
    const dir = tmp();
    const z = join(dir, 'z.json');
    writeFileSync(z, `[${[0, 1, 2].map(PREF_RECORD).join(',')}]`);
    await expectRefused(['pairs', z, '-o', z, '--no-tokens'], z);
    await expectRefused(['pairs', z, '-o', join(dir, 'p.jsonl'), '--stats', z, '--no-tokens'], z);
  });

  it('spelled differently: ./, .., a symlink to the input, a hard link, an input given as its folder', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    const x = jsonlFile('x.jsonl', 20, undefined, dir);
    await expectRefused(['convert', 'x.jsonl', '-o', './sub/../x.jsonl'], x, { cwd: dir });
    symlinkSync(x, join(dir, 'link.jsonl'));
    await expectRefused(['convert', 'link.jsonl', '-o', 'x.jsonl'], x, { cwd: dir });
    await expectRefused(['convert', 'x.jsonl', '-o', 'link.jsonl'], x, { cwd: dir });
    linkSync(x, join(dir, 'hard.jsonl'));
    await expectRefused(['convert', x, '-o', join(dir, 'hard.jsonl')], x);
    await expectRefused(['validate', dir, '--rejects', join(dir, 'sub', '..', 'x.jsonl')], x);
    // A symlinked folder on the output side.
    symlinkSync(dir, join(tmp(), 'alias'));
    const alias = join(tmp(), 'alias2');
    symlinkSync(dir, alias);
    await expectRefused(['convert', x, '-o', join(alias, 'x.jsonl')], x);
  });

  it('audit --out onto a folder whose audit.json is an input', async () => {
    const dir = tmp();
    const input = jsonlFile('audit.json', 5, undefined, dir);
    await expectRefused(['audit', input, '--out', dir, '--tokenizer', 'hermes3'], input);
  });

  it('export --out a folder that holds an input', async () => {
    const dir = tmp();
    const conv = join(dir, 'c.jsonl');
    const r = await chatmill(['convert', jsonlFile('x.jsonl', 5), '-o', conv]);
    expect(r.code, r.stderr).toBe(0);
    await expectRefused(['export', conv, '--out', dir], conv);
  });

  it('two outputs naming one file are refused too', async () => {
    const x = jsonlFile('x.jsonl', 5);
    const o = join(tmp(), 'o.jsonl');
    const r = await chatmill(['convert', x, '-o', o, '--rejects', o]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/both name/);
    expect(readdirSync(join(o, '..'))).toEqual([]);
  });

  it("a pipeline whose write path is one of its own inputs, or whose run files or dataset folder hold an input", async () => {
    const dir = tmp();
    const input = jsonlFile('in.jsonl', 10, undefined, dir);
    const pipeline = (inputPath: string, write: string) => {
      const p = join(tmp(), 'p.yaml');
      writeFileSync(p, `name: t\nout: ${dir}\ndatasets:\n  sft:\n    inputs: [${inputPath}]\n    stages:\n      - write: { path: ${write} }\n      - export: {}\n`);
      return p;
    };
    let r = await expectRefused(['run', pipeline(input, 'in.jsonl')], input);
    expect(r.stderr).toContain('datasets.sft.stages[0].write');
    await expectRefused(['run', pipeline(input, `../${basename(dir)}/./in.jsonl`)], input);
    await expectRefused(['run', pipeline(input, input)], input);
    // The run's own files inside `out`.
    const rejects = jsonlFile('rejects.jsonl', 3, undefined, dir);
    await expectRefused(['run', pipeline(rejects, 'sft.jsonl')], rejects);
    mkdirSync(join(dir, 'dataset'));
    const inDataset = jsonlFile('kept.jsonl', 3, undefined, join(dir, 'dataset'));
    await expectRefused(['run', pipeline(inDataset, 'sft.jsonl')], inDataset);
    // --out on the command line is checked the same way: a pipeline whose own `out` is elsewhere.
    const elsewhere = pipeline(inDataset, 'x.jsonl');
    writeFileSync(elsewhere, readFileSync(elsewhere, 'utf8').replace(`out: ${dir}`, `out: ${tmp()}`));
    r = await chatmill(['run', elsewhere, '--out', join(dir, 'sub', '..')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('would replace the folder holding the input');
    // Nothing was written: no staging folder, no outputs.
    expect(readdirSync(dir).sort()).toEqual(['dataset', 'in.jsonl', 'rejects.jsonl']);
  });
});
