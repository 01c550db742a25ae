/** Cross-backend cases: every target either renders these exactly or reports how it does not. */
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules } from '../../src/compile.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import * as ir from '../../src/ir/nodes.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';
import { loadConfig } from '../../src/config.js';
import { REPO_DIR, referenceRule } from '../support/rules.js';

const pid: ir.Field = { name: 'process.pid', type: 'long' };
const category: ir.Field = { name: 'event.category', type: 'keyword' };
const name: ir.Field = { name: 'process.name', type: 'keyword' };

async function diagnose(query: ir.Node): Promise<Map<string, { code: string; direction?: string }[]>> {
  const rule: Rule = { ...(await referenceRule()), query };
  const { diagnostics } = compileRules([rule], backends, { config: loadConfig(`${REPO_DIR}siemc.config.json`) });
  const out = new Map<string, { code: string; direction?: string }[]>(backends.map((b) => [b.name, []]));
  for (const d of diagnostics) out.get(d.target ?? '')?.push({ code: d.code, ...(d.direction === undefined ? {} : { direction: d.direction }) });
  return out;
}

describe('approximations across targets', () => {
  it('a range with two bounds: exact in Query DSL and SPL, reported where bounds are separate comparisons', async () => {
    const d = await diagnose(ir.range(pid, { gte: 1, lte: 5 }));
    expect(d.get('esdsl')).toEqual([]);
    expect(d.get('spl')).toEqual([]);
    expect(d.get('eql')).toEqual([{ code: 'SIEMC-A052', direction: 'widened' }]);
    expect(d.get('kql')).toEqual([{ code: 'SIEMC-A108', direction: 'widened' }]);
    expect(d.get('sigma')).toEqual([{ code: 'SIEMC-A308', direction: 'widened' }]);
    expect(evaluate(ir.range(pid, { gte: 1, lte: 5 }), { process: { pid: [0, 10] } })).toBe(false);
  });

  it('CIDR on a keyword field is reported by every target', async () => {
    const d = await diagnose(ir.cidr({ name: 'custom.ip', type: 'keyword' }, ['10.0.0.0/8']));
    expect(d.get('esdsl')?.map((x) => x.code)).toEqual(['SIEMC-A011']);
    expect(d.get('eql')?.map((x) => x.code)).toEqual(['SIEMC-A051']);
    expect(d.get('kql')?.map((x) => x.code)).toEqual(['SIEMC-A107']);
    expect(d.get('spl')?.map((x) => x.code)).toEqual(['SIEMC-A205', 'SIEMC-A204']);
    expect(d.get('sigma')?.map((x) => x.code)).toEqual(['SIEMC-A309', 'SIEMC-A307']);
  });

  it('a node that sits both plain and under not has no single direction', async () => {
    const leaf = ir.match(name, [globPattern('a?c')], false);
    const d = await diagnose(ir.and([leaf, ir.not(ir.and([leaf, ir.exists(pid)]))]));
    expect(d.get('kql')).toEqual([{ code: 'SIEMC-A102', direction: 'not expressible' }]);
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
