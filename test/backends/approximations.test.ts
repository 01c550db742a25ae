/** Cross-backend cases: every target either renders these exactly or reports how it does not. */
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules } from '../../src/compile.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import * as ir from '../../src/ir/nodes.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';
import { referenceRule } from '../support/rules.js';
import { compilePerTarget, expectPerTarget, type TargetResult } from '../support/per-target.js';

const pid: ir.Field = { name: 'process.pid', type: 'long' };
const category: ir.Field = { name: 'event.category', type: 'keyword' };
const name: ir.Field = { name: 'process.name', type: 'keyword' };

describe('approximations across targets', () => {
  it('a range with two bounds: exact in Query DSL and SPL, reported where bounds are separate comparisons', async () => {
    await expectPerTarget(ir.range(pid, { gte: 1, lte: 5 }), {
      esdsl: [],
      eql: ['SIEMC-A052 widened'],
      kql: ['SIEMC-A108 widened'],
      spl: [],
      sigma: ['SIEMC-A308 widened'],
    });
    expect(evaluate(ir.range(pid, { gte: 1, lte: 5 }), { process: { pid: [0, 10] } })).toBe(false);
  });

  it('CIDR on a keyword field is reported by every target', async () => {
    const codes = (...expected: string[]) => (r: TargetResult) => expect(r.diagnostics.map((x) => x.code)).toEqual(expected);
    await expectPerTarget(ir.cidr({ name: 'custom.ip', type: 'keyword' }, ['10.0.0.0/8']), {
      esdsl: codes('SIEMC-A011'),
      eql: codes('SIEMC-A051'),
      kql: codes('SIEMC-A107'),
      spl: codes('SIEMC-A205', 'SIEMC-A204'),
      sigma: codes('SIEMC-A309', 'SIEMC-A307'),
    });
  });

  it('a node that sits both plain and under not has no single direction', async () => {
    const leaf = ir.match(name, [globPattern('a?c')], false);
    const results = await compilePerTarget(ir.and([leaf, ir.not(ir.and([leaf, ir.exists(pid)]))]));
    expect(results.kql.reports).toEqual(['SIEMC-A102 not expressible']);
  });
});

describe('EQL event category', () => {
  it('a category spelled like an EQL keyword stays a condition (`any where` means every category)', async () => {
    const query = ir.and([ir.match(category, [exactPattern('any')], false), ir.match(name, [exactPattern('x')], false)]);
    const rule: Rule = { ...(await referenceRule()), query };
    const text = compileRules([rule], backends.filter((b) => b.name === 'eql')).outputs[0]?.text ?? '';
    expect(text.startsWith('any where event.category == "any"')).toBe(true);
    const event = { event: { category: 'process' }, process: { name: 'x' } };
    expect(evaluate(parseEql(text), event)).toBe(evaluate(query, event));
  });
});

describe('evaluator numbers', () => {
  it('reads decimal text only, as Elasticsearch does', () => {
    expect(evaluate(ir.equals(pid, 16), { process: { pid: '0x10' } })).toBe(false);
    expect(evaluate(ir.equals(pid, 16), { process: { pid: ' 16 ' } })).toBe(true);
  });
});
