/**
 * Property: random query trees over a few ECS fields (every leaf kind, adversarial values,
 * patterns and labels) emitted as rule modules load back to the same normalised IR. The trees
 * are sampled with fast-check and all loaded in one folder (the loader costs seconds per call);
 * the loader's own check runs every generated test event against the query.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, cidr, equals, exists, match, not, or, range, regex, type Field, type Node } from '../../src/ir/nodes.js';
import { emitRules } from '../../src/emit/typescript.js';
import { adversarialPattern, adversarialString } from '../support/arbitraries.js';
import { literalPart, makePattern } from '../../src/ir/pattern.js';
import { expectSameRules, importedRule, loadBack, writeFiles } from './support.js';

const f = (name: string, type: Field['type']): Field => ({ name, type });
const stringFields = [f('process.name', 'keyword'), f('process.command_line', 'wildcard'), f('dns.question.name', 'keyword'), f('custom.tag_value', 'keyword')];
const numberField = f('process.pid', 'long');
const booleanField = f('process.code_signature.trusted', 'boolean');
const ipField = f('source.ip', 'ip');
const REGEXES = ['[a-z]+', 'a.c', '(x|y){2,3}', 'C:\\\\Windows\\\\.*', '[^"]*\\.exe'];
const CIDRS = ['10.0.0.0/8', '192.168.1.1', '::1/128', '2001:db8::/32'];

// The DSL refuses NUL (SIEMC-R017; test/emit/typescript.test.ts checks the emitter says so), so it is left out here.
const noNul = (s: string): string => s.replace(/\u0000/g, '0');
const label = fc.option(adversarialString.map(noNul), { nil: undefined, freq: 3 });
const patternArb = adversarialPattern.map((p) => makePattern(p.map((part) => (part.kind === 'literal' ? literalPart(noNul(part.text)) : part))));
const bound = fc.integer({ min: -1000, max: 1000 }).map((n) => n / 4);

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ field: fc.constantFrom(...stringFields), patterns: fc.array(patternArb, { minLength: 1, maxLength: 4 }), ci: fc.boolean(), label })
    .map((r) => match(r.field, r.patterns, r.ci, r.label)),
  fc.record({ field: fc.constantFrom(...stringFields, numberField, booleanField, ipField), label }).map((r) => exists(r.field, r.label)),
  fc.record({ value: fc.oneof(fc.boolean()), label }).map((r) => equals(booleanField, r.value, r.label)),
  fc.record({ value: bound, label }).map((r) => equals(numberField, r.value, r.label)),
  fc.record({ kind: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: bound, label }).map((r) => range(numberField, { [r.kind]: r.value }, r.label)),
  fc.record({ low: bound, span: fc.nat(100), label }).map((r) => range(numberField, { gte: r.low, lte: r.low + r.span }, r.label)),
  fc.record({ cidrs: fc.subarray(CIDRS, { minLength: 1 }), label }).map((r) => cidr(ipField, r.cidrs, r.label)),
  fc.record({ field: fc.constantFrom(...stringFields), source: fc.constantFrom(...REGEXES), ci: fc.boolean(), label })
    .map((r) => regex(r.field, r.source, r.ci, r.label)),
);

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }), label }).map((r) => and(r.children, r.label)),
    fc.record({ children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }), label }).map((r) => or(r.children, r.label)),
    fc.record({ child: tie('node'), label }).map((r) => not(r.child, r.label)),
  ),
})).node;

describe('emitTypeScript on random trees', () => {
  it('loads back to the same normalised IR and metadata (40 trees, one load)', async () => {
    const queries = fc.sample(tree, { numRuns: Number(process.env.EMIT_RUNS ?? 40), seed: Number(process.env.EMIT_SEED ?? 20_250_611) });
    const rules = queries.map((q, i) => importedRule(100 + i, q, { name: `Random ${i}` }));
    const { files, diagnostics } = emitRules(rules, { root: '/imports/sigma' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { rules: loaded } = await loadBack(writeFiles(files));
    expectSameRules(rules, loaded);
    // Every rule has at least one test, and both verdicts unless the query is constant.
    const warned = new Set(diagnostics.map((d) => d.rule));
    for (const r of loaded) {
      expect(r.tests.length).toBeGreaterThan(0);
      if (!warned.has(r.id)) expect(new Set(r.tests.map((t) => t.expect)).size, r.name).toBe(2);
    }
  }, 120_000);
});
