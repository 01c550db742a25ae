import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/eval/evaluate.js';
import { normalize } from '../src/ir/normalize.js';
import { projectRules, referenceRule, referenceEdgeCases } from './support/rules.js';


const edgeCases = referenceEdgeCases;

describe('every rule agrees with its own test events', async () => {
  for (const rule of await projectRules()) {
    const query = normalize(rule.query);
    it.each(rule.tests.map((t) => [t.name, t] as const))(`${rule.name}: %s`, (_name, t) => {
      expect(evaluate(query, t.event) ? 'match' : 'no match').toBe(t.expect);
    });
  }
});

describe('reference rule', () => {
  it('has at least 30 test events, both verdicts', async () => {
    const rule = await referenceRule();
    expect(rule.tests.length).toBeGreaterThanOrEqual(30);
    expect(rule.tests.some((t) => t.expect === 'match')).toBe(true);
    expect(rule.tests.some((t) => t.expect === 'no match')).toBe(true);
  });

  it('removes the duplicate domains of the original list', async () => {
    const rule = await referenceRule();
    const text = JSON.stringify(normalize(rule.query));
    expect(text.split('"api.mylnikov.org"').length - 1).toBe(1);
    expect(text.split('"api.notion.com"').length - 1).toBe(1);
  });

  // Written independently of the rule source, from the original EQL text and Elasticsearch's
  // EQL semantics; see each case's `why`.
  it.each(edgeCases.map((c) => [c.name, c] as const))('independent edge case: %s', async (_name, c) => {
    const rule = await referenceRule();
    expect(evaluate(normalize(rule.query), c.event), c.why).toBe(c.expect);
  });
});
