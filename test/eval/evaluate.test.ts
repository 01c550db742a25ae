import { describe, expect, it } from 'vitest';
import { cidrContains } from '../../src/ir/cidr.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { globMatches } from '../../src/eval/glob.js';
import { fieldValues } from '../../src/eval/values.js';
import { cidr, equals, exists, match, not, range, regex, type Field } from '../../src/ir/nodes.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';

const f: Field = { name: 'f', type: 'keyword' };

describe('field values', () => {
  it('reads nested objects, dotted keys, arrays of objects, and skips null', () => {
    expect(fieldValues({ a: { b: 1 } }, 'a.b')).toEqual([1]);
    expect(fieldValues({ 'a.b': 1 }, 'a.b')).toEqual([1]);
    expect(fieldValues({ a: [{ b: 1 }, { b: [2, null] }] }, 'a.b')).toEqual([1, 2]);
    expect(fieldValues({ a: { 'b.c': 'x' }, 'a.b': { c: 'y' } }, 'a.b.c').sort()).toEqual(['x', 'y']);
    expect(fieldValues({ a: { b: { c: 1 } } }, 'a.b')).toEqual([]);
  });
});

describe('globs', () => {
  it('`*` crosses dots and backslashes, `?` is one code point, matching is whole-value', () => {
    expect(globMatches(globPattern('?:\\Program Files\\*.exe'), 'C:\\Program Files\\a\\b.exe', false)).toBe(true);
    expect(globMatches(globPattern('?.docs.live.net'), 'ab.docs.live.net', false)).toBe(false);
    expect(globMatches(globPattern('?.docs.live.net'), '😀.docs.live.net', false)).toBe(true);
    expect(globMatches(globPattern('pastebin.*'), 'xpastebin.com', false)).toBe(false);
  });
  it('case-insensitive folds ASCII letters only, as Elasticsearch does', () => {
    expect(globMatches(exactPattern('PasteBin'), 'pastebin', true)).toBe(true);
    expect(globMatches(exactPattern('É'), 'é', true)).toBe(false);
    expect(globMatches(exactPattern('PasteBin'), 'pastebin', false)).toBe(false);
  });
});

// Vectors from ../shared/docs/target-semantics.md §11, as the IR expresses each intent.
describe('target-semantics vectors', () => {
  const ci = (g: string) => match(f, [globPattern(g)], true);
  const cs = (g: string) => match(f, [globPattern(g)], false);
  it.each([
    ['1 ci wildcard', ci('pastebin.*'), { f: 'PASTEBIN.com' }, true],
    ['1 cs wildcard', cs('pastebin.*'), { f: 'PASTEBIN.com' }, false],
    ['2 ?', ci('?.docs.live.net'), { f: 'a.docs.live.net' }, true],
    ['3 ? is one char', ci('?.docs.live.net'), { f: 'ab.docs.live.net' }, false],
    ['4 path', ci('C:\\Program Files\\*.exe'), { f: 'C:\\Program Files\\Foo\\foo.exe' }, true],
    ['9 path, case', ci('C:\\Program Files\\*.exe'), { f: 'c:\\program files\\X.EXE' }, true],
    ['10 literal *', match(f, [exactPattern('x*y')], false), { f: 'x*y' }, true],
    ['11 literal * is not a wildcard', match(f, [exactPattern('x*y')], false), { f: 'xAy' }, false],
    ['12 not on a missing field', not(match(f, [exactPattern('x')], false)), { g: 1 }, true],
    ['13 not in on a missing field', not(match(f, [exactPattern('a'), exactPattern('b')], false)), { g: 1 }, true],
    ['14 missing', not(exists(f)), { g: 1 }, true],
    ['15 empty string exists', exists(f), { f: '' }, true],
    ['16 ci exact', ci('pastebin.com'), { f: 'Pastebin.com' }, true],
    ['17 not a substring', ci('pastebin.com'), { f: 'pastebin.com.evil.net' }, false],
    ['26 must_not on arrays', not(match(f, [exactPattern('a')], false)), { f: ['a', 'b'] }, false],
    ['30 trailing backslash', match(f, [exactPattern('tail\\')], false), { f: 'tail\\' }, true],
    ['33 literal ?', match(f, [exactPattern('a?b')], false), { f: 'a?b' }, true],
    ['34 literal ? is not a wildcard', match(f, [exactPattern('a?b')], false), { f: 'aXb' }, false],
  ] as const)('vector %s', (_n, node, event, want) => {
    expect(evaluate(node, event)).toBe(want);
  });
});

describe('typed leaves', () => {
  it('booleans read "true"/"false" strings as a boolean field does', () => {
    const t: Field = { name: 't', type: 'boolean' };
    expect(evaluate(equals(t, true), { t: 'true' })).toBe(true);
    expect(evaluate(equals(t, false), { t: '' })).toBe(true);
    expect(evaluate(equals(t, true), { t: 1 })).toBe(false);
  });
  it('ranges and numbers', () => {
    const n: Field = { name: 'n', type: 'long' };
    expect(evaluate(range(n, { gte: 1, lt: 5 }), { n: [0, 4] })).toBe(true);
    expect(evaluate(range(n, { gt: 4 }), { n: '4' })).toBe(false);
    expect(evaluate(equals(n, 4), { n: '4' })).toBe(true);
  });
  it('CIDR, IPv4 and IPv6', () => {
    expect(cidrContains('10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.1.2.3')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8::1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(cidrContains('::ffff:0:0/96', '1.2.3.4')).toBe(true);
    const ip: Field = { name: 'ip', type: 'ip' };
    expect(evaluate(cidr(ip, ['192.168.0.0/16']), { ip: ['8.8.8.8', '192.168.1.1'] })).toBe(true);
  });
  it('regex matches the whole value', () => {
    expect(evaluate(regex(f, 'foo', false), { f: 'xfooy' })).toBe(false);
    expect(evaluate(regex(f, '.*foo.*', false), { f: 'xfooy' })).toBe(true);
    expect(evaluate(regex(f, 'ABC', true), { f: 'abc' })).toBe(true);
  });
});
