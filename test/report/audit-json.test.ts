import { describe, expect, it } from 'vitest';
import { Audit } from '../../schemas/audit.js';
import { auditJson } from '../../src/report/audit-json.js';
import { goodAudit } from './audit-fixture.js';

/**
 * audit.json is checked against schemas/audit.ts at run time before it is written (CI scripts read it): a
 * malformed audit is a bug upstream and must stop the write, not produce a file that breaks the contract.
 */
describe('auditJson checks the audit against schemas/audit.ts', () => {
  it('writes a good audit, keys in schema order', () => {
    const text = auditJson(goodAudit());
    expect(Object.keys(JSON.parse(text))).toEqual(['tokenizer', 'template', 'records', 'tokens', 'instruction_tokens', 'response_tokens', 'response_share', 'over_max_length', 'packing', 'by_source', 'by_category', 'length_histogram']);
  });

  const broken: Array<[string, (a: Record<string, any>) => void]> = [
    ['a negative count', (a) => (a.tokens = -1)],
    ['a fractional count', (a) => (a.records = 1.5)],
    ['a count beyond 2^53', (a) => (a.tokens = 2 ** 53)],
    ['a share above 1', (a) => (a.response_share = 1.01)],
    ['a negative packing efficiency', (a) => (a.packing.efficiency = -0.1)],
    ['an unknown top-level key', (a) => (a.extra = 1)],
    ['an unknown tokenizer key', (a) => (a.tokenizer.extra = 'x')],
    ['a bucket without response_tokens', (a) => delete a.by_source['a.jsonl'].response_tokens],
    ['a histogram bin with a string', (a) => (a.length_histogram[0].max = '63')],
    ['a missing template', (a) => delete a.template],
  ];
  it.each(broken)('refuses %s', (_what, hurt) => {
    const a = goodAudit() as unknown as Record<string, any>;
    hurt(a);
    expect(() => auditJson(a as Audit)).toThrow(/audit does not match schemas\/audit\.ts/);
  });
});
