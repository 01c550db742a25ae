import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldValues, type Json } from '../../src/eval/values.js';
import { and, isLeaf, match, not, or, type Field, type MatchNode, type Node } from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { globPattern } from '../../src/ir/pattern.js';
import { compareQueries, type Comparison } from '../../src/semantic/compare.js';
import { referenceRule } from '../support/rules.js';

/** Rebuilds a tree with the first node `pick` accepts replaced (the test fails when none is). */
function replaceFirst(node: Node, pick: (n: Node) => boolean, by: (n: Node) => Node): Node {
  let done = false;
  const go = (n: Node): Node => {
    if (done) return n;
    if (pick(n)) {
      done = true;
      return by(n);
    }
    if (isLeaf(n)) return n;
    if (n.kind === 'not') return not(go(n.child), n.label);
    const children = n.children.map(go);
    return n.kind === 'and' ? and(children, n.label) : or(children, n.label);
  };
  const out = go(node);
  expect(done).toBe(true);
  return out;
}

const DOMAINS_LABEL = 'Add new WebSvc domains here';
const isDomainList = (n: Node): n is MatchNode => n.kind === 'match' && n.label === DOMAINS_LABEL;

async function reference(): Promise<Node> {
  return normalize((await referenceRule()).query);
}

/** Every witness really is one: the evaluator separates the two versions on it. */
function expectConfirmed(result: Comparison, before: Node, after: Node): void {
  for (const e of result.onlyBefore) expect([evaluate(before, e), evaluate(after, e)]).toEqual([true, false]);
  for (const e of result.onlyAfter) expect([evaluate(before, e), evaluate(after, e)]).toEqual([false, true]);
}

describe('compareQueries on the reference rule', () => {
  it('proves the rule equivalent to itself', async () => {
    const q = await reference();
    const result = compareQueries(q, q);
    expect(result).toMatchObject({ relation: 'equivalent', proved: true, onlyBefore: [], onlyAfter: [] });
  });

  it('adding a domain is broader, with a witness that looks the new domain up', async () => {
    const before = await reference();
    const after = normalize(
      replaceFirst(before, isDomainList, (n) => {
        const m = n as MatchNode;
        return match(m.field, [...m.patterns, globPattern('evil-paste.example')], m.caseInsensitive, m.label);
      }),
    );
    const started = performance.now();
    const result = compareQueries(before, after);
    const millis = performance.now() - started;
    console.log(`reference rule vs one domain added: ${millis.toFixed(0)} ms, ${result.stats.fields} fields, ${result.stats.cells} cells, ${result.stats.searchSteps} search steps`);
    expect(result).toMatchObject({ relation: 'broader', proved: true, beforeInAfter: 'yes', afterInBefore: 'no', onlyBefore: [] });
    expect(result.onlyAfter.length).toBeGreaterThan(0);
    expectConfirmed(result, before, after);
    for (const e of result.onlyAfter) {
      expect(fieldValues(e, 'dns.question.name').map((v) => String(v).toLowerCase())).toContain('evil-paste.example');
    }
  });

  it('removing an exclusion is broader', async () => {
    const before = await reference();
    // not(user.id in service accounts) dropped from the top-level and.
    const top = before as Extract<Node, { kind: 'and' }>;
    const after = normalize(and(top.children.filter((c) => !(c.kind === 'not' && isLeaf(c.child) && c.child.field.name === 'user.id')), top.label));
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
    const result = compareQueries(before, after);
    expect(result).toMatchObject({ relation: 'broader', proved: true, onlyBefore: [] });
    expectConfirmed(result, before, after);
    expect(result.onlyAfter.every((e) => fieldValues(e, 'user.id').length > 0)).toBe(true);

    // Dropping the whole process exclusion is broader too.
    const noExclusions = normalize(and(top.children.filter((c) => c.label !== 'Insert noisy false positives here'), top.label));
    const wide = compareQueries(before, noExclusions);
    expect(wide).toMatchObject({ relation: 'broader', proved: true });
    expectConfirmed(wide, before, noExclusions);
  });

  it('a case-sensitive domain list is narrower, with an upper-case witness', async () => {
    const before = await reference();
    const after = normalize(replaceFirst(before, isDomainList, (n) => {
      const m = n as MatchNode;
      return match(m.field, m.patterns, false, m.label);
    }));
    const result = compareQueries(before, after);
    expect(result).toMatchObject({ relation: 'narrower', proved: true, onlyAfter: [] });
    expect(result.onlyBefore.length).toBeGreaterThan(0);
    expectConfirmed(result, before, after);
    for (const e of result.onlyBefore) {
      expect(fieldValues(e, 'dns.question.name').some((v) => /[A-Z]/.test(String(v)))).toBe(true);
    }
  });

  it('reordering the domain list is proved equivalent', async () => {
    const before = await reference();
    const after = replaceFirst(before, isDomainList, (n) => {
      const m = n as MatchNode;
      return match(m.field, [...m.patterns].reverse(), m.caseInsensitive, m.label);
    });
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
    expect(compareQueries(before, after)).toMatchObject({ relation: 'equivalent', proved: true });
  });

  it('De Morgan on the exclusion block is proved equivalent', async () => {
    const before = await reference();
    // not(any(a, b, ...)) becomes all(not a, not b, ...).
    const after = replaceFirst(
      before,
      (n) => n.kind === 'not' && n.child.kind === 'or',
      (n) => and((n as Extract<Node, { kind: 'not' }>).child.kind === 'or' ? ((n as Extract<Node, { kind: 'not' }>).child as Extract<Node, { kind: 'or' }>).children.map((c) => not(c)) : []),
    );
    expect(compareQueries(before, after)).toMatchObject({ relation: 'equivalent', proved: true });
  });
});

const f: Field = { name: 'f', type: 'keyword' };
const g: Field = { name: 'g.h', type: 'keyword' };
const like = (field: Field, ...globs: string[]) => match(field, globs.map(globPattern), false);
const likeI = (field: Field, ...globs: string[]) => match(field, globs.map(globPattern), true);

describe('compareQueries on small rules', () => {
  it('a* or ab is a*', () => {
    expect(compareQueries(or([like(f, 'a*'), like(f, 'ab')]), like(f, 'a*'))).toMatchObject({ relation: 'equivalent', proved: true });
    expect(compareQueries(like(f, 'a*', 'ab'), like(f, 'a*'))).toMatchObject({ relation: 'equivalent', proved: true });
  });

  it('all(f like a*, f like *b) is not f like a*b: an array can match the first only', () => {
    const before = and([like(f, 'a*'), like(f, '*b')]);
    const after = like(f, 'a*b');
    const result = compareQueries(before, after);
    expect(result).toMatchObject({ relation: 'narrower', proved: true, onlyAfter: [] });
    expectConfirmed(result, before, after);
    // The witness needs two values of f: one starting with a, another ending with b.
    expect(result.onlyBefore.some((e) => fieldValues(e, 'f').length === 2)).toBe(true);
  });

  it('a missing field passes a negation, and an empty string is present', () => {
    // not(f like x) also matches events without f; exists(f) and not(...) does not.
    const plain = not(like(f, 'x'));
    const present = and([match(f, [globPattern('*')], false), not(like(f, 'x'))]);
    const r = compareQueries(plain, present);
    expect(r).toMatchObject({ relation: 'narrower', proved: true });
    expect(r.onlyBefore).toContainEqual({});
    // f like * matches every value, the empty string included: it is exists(f).
    expect(compareQueries(match(f, [globPattern('*')], false), { kind: 'exists', field: f })).toMatchObject({ relation: 'equivalent', proved: true });
  });

  it('folds ASCII letters only when ignoring case', () => {
    expect(compareQueries(likeI(f, 'abc'), like(f, 'abc', 'ABC', 'aBc', 'Abc', 'abC', 'ABc', 'AbC', 'aBC'))).toMatchObject({ relation: 'equivalent', proved: true });
    // É and é are different even ignoring case.
    expect(compareQueries(likeI(f, 'é'), like(f, 'é'))).toMatchObject({ relation: 'equivalent', proved: true });
    const r = compareQueries(likeI(f, 'x?'), like(f, 'x?'));
    expect(r).toMatchObject({ relation: 'narrower', proved: true });
  });

  it('compares numbers by intervals, and a numeric string is a number', () => {
    const n: Field = { name: 'n', type: 'long' };
    const r1 = compareQueries({ kind: 'range', field: n, gte: 1, lt: 10 }, or([{ kind: 'range', field: n, gte: 1, lt: 5 }, { kind: 'range', field: n, gte: 5, lte: 9.5 }]));
    expect(r1).toMatchObject({ relation: 'narrower', proved: true });
    expect(r1.onlyBefore.length).toBeGreaterThan(0);
    expect(
      compareQueries({ kind: 'range', field: n, gte: 1, lte: 3 }, or([{ kind: 'equals', field: n, value: 1 }, { kind: 'range', field: n, gt: 1, lte: 3 }])),
    ).toMatchObject({ relation: 'equivalent', proved: true });
    // The text "5" is the number 5 for a range, and the string 5 for a match: the two leaves overlap.
    const mixed = compareQueries(match(n, [globPattern('5')], false), { kind: 'equals', field: n, value: 5 });
    expect(mixed).toMatchObject({ relation: 'broader', proved: true });
    expectConfirmed(mixed, match(n, [globPattern('5')], false), { kind: 'equals', field: n, value: 5 });
  });

  it('compares networks and booleans', () => {
    const ip: Field = { name: 'source.ip', type: 'ip' };
    expect(
      compareQueries({ kind: 'cidr', field: ip, cidrs: ['10.0.0.0/8'] }, { kind: 'cidr', field: ip, cidrs: ['10.0.0.0/9', '10.128.0.0/9'] }),
    ).toMatchObject({ relation: 'equivalent', proved: true });
    const r = compareQueries({ kind: 'cidr', field: ip, cidrs: ['10.0.0.0/8'] }, { kind: 'cidr', field: ip, cidrs: ['10.0.0.0/9'] });
    expect(r).toMatchObject({ relation: 'narrower', proved: true });
    const b: Field = { name: 'ok', type: 'boolean' };
    // false is the boolean false, "false" and "" (docs/semantics.md).
    expect(compareQueries({ kind: 'equals', field: b, value: false }, match(b, ['false', ''].map(globPattern), false))).toMatchObject({ relation: 'equivalent', proved: true });
  });

  it('says unknown, never equivalent, outside the decision', () => {
    // A backreference is not regular.
    const before = { kind: 'regex', field: f, regex: '(a*)b\\1', caseInsensitive: false } as const;
    const r = compareQueries(before, before);
    expect(r.relation).toBe('unknown');
    expect(r.proved).toBe(false);
    expect(r.note).toMatch(/not decided .*no difference found in \d+ derived and random events/);
  });

  it('returns witnesses whose fields nest as ECS events do', () => {
    const r = compareQueries(and([like(f, 'x'), like(g, 'y')]), like(f, 'x'));
    expect(r.relation).toBe('broader');
    expect(r.onlyAfter[0]).toEqual({ f: 'x' } satisfies Json);
    const r2 = compareQueries(like(f, 'x'), and([like(f, 'x'), like(g, 'y')]));
    expect(r2.onlyBefore[0]).toMatchObject({ f: 'x' });
  });
});
