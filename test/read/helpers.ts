import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from '../../src/types.js';
import { readInput } from '../../src/read/index.js';
import { DEFAULT_LIMITS, type ReadLimits } from '../../src/read/limits.js';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'chatmill-test-'));

export function writeTmp(name: string, content: string | Buffer, dir = tmp()): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function readAll(path: string, limits: Partial<ReadLimits> = {}): Promise<Outcome<unknown>[]> {
  const out: Outcome<unknown>[] = [];
  for await (const o of readInput(path, { ...DEFAULT_LIMITS, ...limits })) out.push(o);
  return out;
}

/** Split a buffer into small chunks, to exercise records that span chunk boundaries. */
export async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
