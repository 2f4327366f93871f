import { describe, expect, it } from 'vitest';
import { Audit } from '../../schemas/audit.js';
import { auditProblem } from '../../src/report/audit-json.js';
import { bucket, goodAudit } from './audit-fixture.js';

/**
 * audit.json is checked before it is written by plain code (src/report/audit-json.ts), not by loading zod: the
 * zod schema in schemas/audit.ts stays the contract. Here the plain check must give the schema's verdict
 * (Audit.safeParse) on the good audit and on every variant made by putting an odd value at one place of it:
 * each leaf and each object, replaced, removed, or given an extra key.
 */

const ODD: unknown[] = [0, 1, -1, 0.5, 1.5, -0.5, 2 ** 53 - 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, -0, '1', '', 'x', true, false, null, undefined, {}, [], [1], { a: 1 }, bucket()];

type Path = Array<string | number>;
/** Every path to a value inside `v` (objects and arrays included), the root excluded. */
function paths(v: unknown, at: Path = []): Path[] {
  if (typeof v !== 'object' || v === null) return [];
  const out: Path[] = [];
  for (const [k, child] of Object.entries(v)) {
    const p = [...at, Array.isArray(v) ? Number(k) : k];
    out.push(p, ...paths(child, p));
  }
  return out;
}

function variants(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [['the good audit', goodAudit()]];
  const edit = (what: string, path: Path, change: (parent: any, key: string | number) => void) => {
    const a = goodAudit() as any;
    let parent = a;
    for (const k of path.slice(0, -1)) parent = parent[k];
    change(parent, path[path.length - 1]);
    out.push([what, a]);
  };
  const all = paths(goodAudit());
  for (const p of all) {
    const where = p.join('.');
    for (const v of ODD) edit(`${where} = ${String(JSON.stringify(v) ?? v)}`, p, (parent, k) => (parent[k] = v));
    edit(`${where} removed`, p, (parent, k) => (Array.isArray(parent) ? parent.splice(Number(k), 1) : delete parent[k]));
  }
  for (const p of [[], ...all]) {
    edit(`extra key at ${p.join('.') || 'top'}`, p.length ? p : ['records'], (parent, k) => {
      const target = p.length ? parent[k] : parent;
      if (target && typeof target === 'object' && !Array.isArray(target)) target.extra = 1;
    });
  }
  for (const v of ODD) out.push([`the whole audit = ${String(JSON.stringify(v) ?? v)}`, v]);
  return out;
}

describe('the plain audit check gives the zod schema\'s verdict', () => {
  const cases = variants();
  it(`on ${cases.length} variants of an audit`, () => {
    let accepted = 0;
    for (const [what, a] of cases) {
      const schema = Audit.safeParse(a).success;
      expect(auditProblem(a) === undefined, `${what}: ${auditProblem(a)}`).toBe(schema);
      if (schema) accepted++;
    }
    // Both verdicts occur many times: the variants are not all refused (or all accepted) by both.
    expect(accepted).toBeGreaterThan(50);
    expect(cases.length - accepted).toBeGreaterThan(300);
  });
});
