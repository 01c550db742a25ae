import { describe, expect, it } from 'vitest';
import { and, cidr, exists, match, not, or, range, type Field } from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';
import { logicChanges, sameUpToOrder } from '../../src/diff/logic.js';
import { directionText, meaningText } from '../../src/diff/report.js';
import type { RuleDiff, Semantics } from '../../src/diff/rule-diff.js';

const f = (name: string): Field => ({ name, type: 'keyword' });
const texts = (a: Parameters<typeof logicChanges>[0], b: Parameters<typeof logicChanges>[1]) => logicChanges(normalize(a), normalize(b)).map((c) => `${c.where}: ${c.text}`);

describe('logic changes in the author\'s terms', () => {
  const name = f('process.name');
  const base = and([match(name, [exactPattern('a.exe')], false), not(or([match(f('user.id'), [exactPattern('S-1')], false), exists(f('process.pid'))], 'Noise'))]);

  it('names values added and removed, case changes, renamed fields and clauses', () => {
    expect(texts(base, and([match(name, [exactPattern('a.exe'), exactPattern('b.exe')], false), base.children[1] as never]))).toEqual(['query: process.name: + "b.exe"']);
    expect(texts(base, and([match(name, [exactPattern('a.exe')], true), base.children[1] as never]))).toEqual(['query: process.name: now ignores case (equals → equalsIgnoreCase)']);
    expect(texts(base, and([match(f('process.executable'), [exactPattern('a.exe')], false), base.children[1] as never]))).toEqual(['query: field process.name renamed to process.executable (equals "a.exe")']);
    expect(texts(base, and([base.children[0] as never, not(or([match(f('user.id'), [exactPattern('S-1')], false)], 'Noise'))]))).toEqual([
      'not > "Noise": clause removed: process.pid exists',
    ]);
    expect(texts(base, and([...base.children, range(f('event.risk_score'), { gte: 50 })]))).toEqual(['query: clause added: event.risk_score >= 50']);
    expect(texts(base, or(base.children))).toEqual(['query: a group changed from all(...) (every clause) to any(...) (one clause is enough)']);
    expect(texts(match(name, [globPattern('*.exe')], false), not(match(name, [globPattern('*.exe')], false)))).toEqual(['query: now negated: process.name like "*.exe"']);
    expect(texts(cidr(f('source.ip'), ['10.0.0.0/8']), cidr(f('source.ip'), ['10.0.0.0/8', '192.168.0.0/16']))).toEqual(['query: source.ip: + "192.168.0.0/16"']);
  });

  it('reads reordering as reordering, and knows it keeps the meaning', () => {
    const a = or([match(name, [exactPattern('x'), exactPattern('y')], false), exists(f('process.pid'))]);
    const b = or([exists(f('process.pid')), match(name, [exactPattern('y'), exactPattern('x')], false)]);
    expect(texts(a, b)).toEqual(['query: process.name: the same 2 values, reordered']);
    expect(sameUpToOrder(normalize(a), normalize(b))).toBe(true);
    expect(sameUpToOrder(normalize(a), normalize(or([exists(f('process.pid'))])))).toBe(false);
  });
});

describe('the direction of a change', () => {
  const undecided: Semantics = { relation: 'unknown', proved: false, beforeInAfter: 'unknown', afterInBefore: 'unknown', how: 'compared', onlyBefore: [], onlyAfter: [], note: 'not decided (regex: backreference); no difference found in 2000 derived and random events', millis: 5 };
  const rule = (semantics: Semantics): RuleDiff => ({ id: 'x', name: 'x', status: 'changed', change: 'logic', metadata: [], logic: [], semantics, targets: [] });

  it('is never "equivalent" unless proved', () => {
    expect(directionText(rule(undecided))).toBe('not proved: no difference found in 2000 derived and random events');
    expect(meaningText(undecided)).not.toMatch(/equivalent/i);
    expect(directionText(rule({ ...undecided, relation: 'equivalent' }))).toMatch(/^not proved/);
    expect(directionText(rule({ ...undecided, onlyAfter: [{ a: 1 }], afterInBefore: 'no' }))).toBe('broader at least (whether it also drops events is not proved)');
  });
});
