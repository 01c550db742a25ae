/**
 * A list of 100,000 values compiles to every target, and every value reads back (no timing
 * assertion: the point is that list handling is linear, which a quadratic step would break by
 * taking minutes; it took 261 s before). Values end in a backslash, the case that needs care in KQL.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules } from '../../src/compile.js';
import { field } from '../../src/index.js';
import { drainProblems } from '../../src/dsl/problems.js';
import type { Rule } from '../../src/dsl/rule.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import { normalize } from '../../src/ir/normalize.js';
import { exactValue } from '../../src/ir/pattern.js';
import { valuesOf } from '../support/esdsl-evaluator.js';
import { readClause, valuePattern } from '../support/kql-tokenizer.js';
import { referenceRule } from '../support/rules.js';
import { parseSigmaRule, readSigmaString } from '../support/sigma-reader.js';
import { parseSpl, type EvalExpr, type SearchExpr } from '../support/spl-evaluator.js';

const N = 100_000;
const values = Array.from({ length: N }, (_, i) => `C:\\Users\\u${i}\\`);

/** Counts nodes of a binary eval tree without recursion (100,000 ORs are deep). */
function countMatchCalls(root: EvalExpr): number {
  let n = 0;
  const stack: EvalExpr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop() as EvalExpr;
    if (e.kind === 'or' || e.kind === 'and') stack.push(e.left, e.right);
    else if (e.kind === 'not') stack.push(e.child);
    else if (e.kind === 'call' && e.name === 'match') n++;
  }
  return n;
}

function searchValues(root: SearchExpr): string[] {
  if (root.kind === 'in') return [...root.values];
  if (root.kind === 'and' || root.kind === 'or') return root.children.flatMap(searchValues);
  return [];
}

describe(`a list of ${N.toLocaleString('en')} values`, () => {
  it('compiles to all five targets, and each output reads back every value', async () => {
    drainProblems();
    const query = field('file.directory').in(values).node;
    expect(drainProblems()).toEqual([]);
    const rule: Rule = { ...(await referenceRule()), query };
    const { outputs } = compileRules([rule], backends);
    const text = (name: string): string => outputs.find((o) => o.backend.name === name)?.text ?? '';
    expect(outputs).toHaveLength(5);

    const dsl = (JSON.parse(text('esdsl')) as { query: { [key: string]: unknown } }).query;
    expect(valuesOf(dsl, 'file.directory').map(exactValue)).toEqual(values);

    const eql = normalize(parseEql(text('eql')));
    expect(eql.kind === 'match' ? eql.patterns.map(exactValue) : []).toEqual(values);

    expect(readClause(text('kql')).values.map((v) => exactValue(valuePattern(v)))).toEqual(values);

    const spl = parseSpl(text('spl'));
    // `search` ignores case, so exact values with letters are decided in `| where`, one match() each.
    expect(searchValues(spl.search)).toHaveLength(N);
    expect(spl.where.map(countMatchCalls).reduce((a, b) => a + b, 0)).toBe(N);

    const sigma = parseSigmaRule(text('sigma'));
    const items = [...sigma.selections.values()].flatMap((s) => s.maps.flat()).filter((i) => i.field === 'file.directory');
    expect(items.flatMap((i) => i.values).map((v) => exactValue(readSigmaString(String(v))))).toEqual(values);
  }, 300_000);
});
