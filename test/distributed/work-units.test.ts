import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWorkUnits } from '../../src/distributed/work-units.js';
import { readUnit } from '../../src/distributed/read-unit.js';
import { DEFAULT_LIMITS, readInput } from '../../src/read/index.js';
import type { Outcome } from '../../src/types.js';

async function collect(it: AsyncIterable<Outcome<unknown>>) {
  const out = [];
  for await (const o of it) out.push(o);
  return out;
}

describe('work units', () => {
  let dir: string;
  let big: string;
  let gz: string;
  let small: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-units-'));
    // Lines of very different lengths, a blank line, a CRLF line, a bad line and a last line without a newline.
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) lines.push(JSON.stringify({ messages: [{ role: 'user', content: 'q'.repeat(1 + ((i * 37) % 300)) }, { role: 'assistant', content: `a${i}` }] }));
    lines[100] = '';
    lines[200] = `${lines[200]}\r`;
    lines[300] = '{"messages": [';
    big = join(dir, 'big.jsonl');
    writeFileSync(big, lines.join('\n'));
    gz = join(dir, 'big.jsonl.gz');
    writeFileSync(gz, gzipSync(lines.join('\n')));
    small = join(dir, 'small.jsonl');
    writeFileSync(small, `${lines[0]}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts a large JSONL file after newlines; its ranges read back as exactly the whole file (same refs, same raw)', async () => {
    const { units } = await planWorkUnits({ datasets: [{ name: 'sft', files: [big] }], worldSize: 3, splitBytes: 7000 });
    expect(units.length).toBeGreaterThan(5);
    expect(units[0].start).toBe(0);
    for (let i = 1; i < units.length; i++) expect(units[i].start).toBe(units[i - 1].end);
    const whole = await collect(readInput(big, DEFAULT_LIMITS));
    const pieces = [];
    for (const u of units) pieces.push(...(await collect(readUnit(u, DEFAULT_LIMITS))));
    expect(pieces).toEqual(whole);
    expect(units.map((u) => u.rank)).toEqual(units.map((_, i) => i % 3));
  });

  it('keeps gzip and small files whole, and plans the same units every time', async () => {
    const o = { datasets: [{ name: 'a', files: [small, gz] }, { name: 'b', files: [big] }], worldSize: 2, splitBytes: 7000 };
    const first = await planWorkUnits(o);
    expect(first.units.filter((u) => u.path === gz)).toEqual([{ id: 1, dataset: 'a', path: gz, rank: 1 }]);
    expect(first.units.filter((u) => u.path === small)).toEqual([{ id: 0, dataset: 'a', path: small, rank: 0 }]);
    expect(first.inputs.map((i) => i.path)).toEqual([small, gz, big]);
    expect((await planWorkUnits(o)).units).toEqual(first.units);
  });

  it('by default a unit is the total input over the world size, at least 8 MiB', async () => {
    const { units, splitBytes } = await planWorkUnits({ datasets: [{ name: 'sft', files: [big] }], worldSize: 64 });
    expect(splitBytes).toBe(8 << 20);
    expect(units).toHaveLength(1);
  });

  it('refuses stdin', async () => {
    await expect(planWorkUnits({ datasets: [{ name: 'sft', files: ['-'] }], worldSize: 2 })).rejects.toThrow(/stdin/);
  });
});
