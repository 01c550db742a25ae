/**
 * The KQL frontend against Kibana's own parser (@cybernetex/kbn-es-query, an Apache-2.0 copy of
 * an older @kbn/es-query, used as an oracle): for generated queries both accept or both refuse,
 * and accepted ones give the same Query DSL. The older copy differs from current Kibana in three
 * documented ways, erased before comparing: it reads unquoted numbers as numbers, it escapes
 * more characters for query_string (a `+-=` character range), and it has no `{}`/`\uXXXX`
 * syntax (not generated). Then: what the queries mean as IR, on events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { kibanaDsl, KqlSyntaxError, KqlUnsupported, kqlToIr, parseKql } from '../../src/frontends/kql/index.js';
import type { FieldType } from '../../src/ir/nodes.js';
import { kbn, spliceNestedBools } from '../support/kibana-kql.js';

type Json = unknown;

/** What current Kibana escapes for query_string (wildcard.ts); the older copy escapes more. */
const CURRENT_SPECIAL = '+-=&|><!(){}[]^"~*?:\\/';

/** Equal up to the older oracle's documented differences (see the file comment). */
function comparable(dsl: Json, key?: string): Json {
  if (Array.isArray(dsl)) return dsl.map((d) => comparable(d, key));
  if (typeof dsl === 'string') {
    // Escape pairs read left to right: an escaped backslash is one pair.
    if (key === 'query_string.query') return dsl.replace(/\\([^])/g, (pair, ch: string) => (CURRENT_SPECIAL.includes(ch) ? pair : ch));
    if (key === 'number' && !Number.isNaN(Number(dsl))) return Number(dsl); // as the older grammar reads them ('' is 0)
    return dsl;
  }
  if (typeof dsl !== 'object' || dsl === null) return dsl;
  // The older copy leaves a wildcard range bound as its node; current Kibana sends its text (lower.ts refuses both).
  const node = dsl as { type?: unknown; value?: unknown };
  if (node.type === 'wildcard' && typeof node.value === 'string') return node.value.split('@kuery-wildcard@').join('*');
  return Object.fromEntries(
    Object.entries(dsl).map(([k, v]) => {
      const inner =
        k === 'match' || k === 'range' || (key === 'multi_match' && k === 'query') || key === 'number'
          ? 'number'
          : k === 'query_string' || k === 'multi_match'
            ? k
            : key === 'query_string' && k === 'query'
              ? 'query_string.query'
              : undefined;
      // Field names too: the older grammar reads an unquoted `5` or `\t` (trimmed to '') field as a number.
      const name = !Number.isNaN(Number(k)) ? String(Number(k)) : k;
      return [name, comparable(v, k === 'exists' || k === 'fields' ? 'number' : inner)];
    }),
  );
}

function oracle(text: string): Json | 'error' {
  try {
    return comparable(spliceNestedBools(kbn.toElasticsearchQuery(kbn.fromKueryExpression(text))));
  } catch {
    return 'error';
  }
}

function ours(text: string): Json | 'error' {
  try {
    return comparable(spliceNestedBools(kibanaDsl(parseKql(text))));
  } catch (e) {
    if (e instanceof KqlSyntaxError) return 'error';
    throw e;
  }
}

const FIELDS = ['a', 'b.c', '"q f"', 'x\\:y'];
const WORDS = ['foo', 'Foo bar', 'x*', '*y', 'a*b*c', '5', '-3', 'true', 'false', 'null', 'cannot be', 'orbit', 'x\\*', 'a\\(b\\)', 'C\\:\\\\Windows\\\\*', '\\or', 'é', 'a\\tb', 'x?y', 'a+b', 'p/q*'];
const QUOTED = ['"foo bar"', '"a*b"', '"x\\"y"', '"\\\\"', '"or"', '"back\\slash"', '""', '"t\\tn\\n"'];

const value = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...QUOTED), fc.constant('*'));
const spaces = fc.constantFrom(' ', '  ', '\t', '\n ');
const keyword = (w: string) => fc.constantFrom(w, w.toUpperCase(), w[0]?.toUpperCase() + w.slice(1));

const valueList: fc.Arbitrary<string> = fc.letrec((tie) => ({
  list: fc.oneof(
    { weight: 3, arbitrary: value },
    { weight: 1, arbitrary: fc.tuple(tie('list'), keyword('or'), tie('list')).map(([a, k, b]) => `(${a} ${k} ${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('list'), keyword('and'), tie('list')).map(([a, k, b]) => `(${a} ${k} ${b})`) },
    { weight: 1, arbitrary: fc.tuple(keyword('not'), tie('list')).map(([k, a]) => `(${k} ${a})`) },
  ),
})).list as fc.Arbitrary<string>;

const clause = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(':', ' : ', ': '), valueList).map(([f, c, v]) => `${f}${c}${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('>', '>=', '<', '< ', '<='), fc.constantFrom('5', '2.5', '"7"', 'x')).map(([f, o, v]) => `${f} ${o}${v}`) },
  { weight: 1, arbitrary: value },
);

const query: fc.Arbitrary<string> = fc.letrec((tie) => ({
  q: fc.oneof(
    { weight: 4, arbitrary: clause },
    { weight: 2, arbitrary: fc.tuple(tie('q'), spaces, keyword('or'), spaces, tie('q')).map((p) => p.join('')) },
    { weight: 2, arbitrary: fc.tuple(tie('q'), spaces, keyword('and'), spaces, tie('q')).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.tuple(keyword('not'), spaces, tie('q')).map((p) => p.join('')) },
    { weight: 1, arbitrary: tie('q').map((q) => `(${q})`) },
  ),
})).q as fc.Arbitrary<string>;

/** Token soup: mostly invalid text, to compare where both parsers refuse. */
const soup = fc
  .array(fc.constantFrom('a', 'b.c', ':', ' ', '(', ')', '"x y"', '"', '*', 'or', 'and', 'not', 'OR', '\\:', '\\*', '\\or', '\\', 'x*y', '>=', '<', '5', 'true', 'null', '\\t', 'é', '\\\\', '\n'), { maxLength: 10 })
  .map((ts) => ts.join(''));

describe("KQL frontend against Kibana's parser", () => {
  it('gives the Query DSL Kibana gives, for 3000 generated queries', () => {
    fc.assert(fc.property(query, (text) => {
      expect(ours(text), text).toEqual(oracle(text));
    }), { numRuns: 3000 });
  });

  it('accepts and refuses what Kibana does, with the same DSL, on 3000 token soups', () => {
    fc.assert(fc.property(soup, (text) => {
      expect(ours(text), JSON.stringify(text)).toEqual(oracle(text));
    }), { numRuns: 3000 });
  });

  it('names line and column of a syntax error', () => {
    expect(() => parseKql('a: b and\n  (c: d')).toThrow(/^line 2:\d+: /);
    expect(() => parseKql('a: "open')).toThrow(KqlSyntaxError);
    // `not ` is a keyword even inside a word: the value stops at "can", and "not be" cannot follow.
    expect(() => parseKql('f: cannot be')).toThrow(/^line 1:7: /);
  });
});

const TYPES: Record<string, FieldType> = { n: 'long', ok: 'boolean', ip: 'ip', t: 'date', msg: 'match_only_text' };
const typeOf = (name: string): FieldType => TYPES[name] ?? 'keyword';
const ir = (text: string) => kqlToIr(text, { fieldType: typeOf });

describe('what KQL means (the detection engine on a typed mapping)', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['f: Foo', { f: 'Foo' }, true],
    ['f: Foo', { f: 'foo' }, false], // keyword: case-sensitive
    ['f: "Foo bar"', { f: 'Foo bar' }, true],
    ['f: Foo bar', { f: 'Foo bar' }, true], // match on a keyword field: the whole value
    ['f: Foo bar', { f: 'Foo' }, false],
    ['f: foo*', { f: 'foobar' }, true],
    ['f: foo*', { f: 'xfoo' }, false],
    ['f: "foo*"', { f: 'foobar' }, false], // quoted: no wildcard
    ['f: foo\\*', { f: 'foo*' }, true],
    ['f: x?y*', { f: 'xzy' }, false], // Kibana escapes ? for query_string: literal
    ['f: x?y*', { f: 'x?y' }, true],
    ['f: a b*', { f: 'a' }, true], // query_string: words searched separately
    ['f: a b*', { f: 'bc' }, true],
    ['f: a b*', { f: 'a bc' }, false],
    ['f: *', { f: '' }, true],
    ['f: *', {}, false],
    ['not f: x', {}, true],
    ['n: 5', { n: 5 }, true],
    ['n: "5"', { n: '5.0' }, true],
    ['n >= 5', { n: 4 }, false],
    ['n > 4.5 and n < 6', { n: 5 }, true],
    ['ok: true', { ok: 'true' }, true],
    ['ip: 10.0.0.0/8', { ip: '10.1.2.3' }, true],
    ['ip: "10.1.2.3"', { ip: '10.1.2.4' }, false],
    ['f: (a or b) and not g: c', { f: 'b', g: 'd' }, true],
    ['f: (a and b)', { f: ['a', 'b'] }, true],
    ['*: *', {}, true],
    ['', {}, true],
    ['f: x or g: y and h: z', { f: 'x' }, true], // and binds tighter
  ];
  it.each(cases)('%s on %j is %s', (text, event, expected) => {
    expect(evaluate(ir(text), event as never)).toBe(expected);
  });

  it.each([
    ['"free text"', /every field/],
    ['process.*: x', /field name pattern/],
    ['n: abc', /cannot parse "abc" as a number/],
    ['n: 5*', /refuses the wildcard query/],
    ['f > 5', /compares text/],
    ['t > now-1d', /compares dates/],
    ['t: "2024-01-01"', /date values/],
    ['ip: 999.1.1.1', /not an address/],
    ['a:{ b: c }', /nested documents/],
    ['f: null', /null/],
  ])('refuses %s', (text, why) => {
    expect(() => ir(text)).toThrow(KqlUnsupported);
    expect(() => ir(text)).toThrow(why);
  });

  it('warns when a wildcard value has whitespace, and on analysed text fields', () => {
    const warnings: string[] = [];
    kqlToIr('f: a b* and msg: x', { fieldType: typeOf, warn: (w) => warnings.push(w.code) });
    expect(warnings).toEqual(['SIEMC-I204', 'SIEMC-I205']);
  });
});
