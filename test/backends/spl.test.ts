/**
 * The SPL backend against an SPL evaluator written from Splunk's documented rules
 * (test/support/spl-evaluator.ts): the reference rule selects exactly the events the IR
 * selects, escaping reads back exactly, and random IR trees agree with the reference evaluator.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spl } from '../../src/backends/spl/index.js';
import { irRegexToPcre, patternToPcre } from '../../src/backends/spl/pcre.js';
import { searchValue, splString, whereField } from '../../src/backends/spl/strings.js';
import { CONSTRUCTS } from '../../src/backends/capabilities.js';
import type { Approximation } from '../../src/backends/backend.js';
import { compileRules } from '../../src/compile.js';
import { loadConfig, type ProjectConfig } from '../../src/config.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate, wholeValueRegex } from '../../src/eval/evaluate.js';
import { globMatches } from '../../src/eval/glob.js';
import type { Json } from '../../src/eval/values.js';
import * as ir from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { portableRegexProblem } from '../../src/ir/regex.js';
import { ANY_RUN, ONE_CHAR, exactPattern, globPattern, literalPart, makePattern, type Pattern } from '../../src/ir/pattern.js';
import { adversarialPattern, adversarialString } from '../support/arbitraries.js';
import { REPO_DIR, referenceRule, referenceEdgeCases } from '../support/rules.js';
import {
  caselessSet,
  parseSpl,
  pcreToJs,
  readSplString,
  searchGlob,
  searchSameChar,
  splMatches,
  type SplMeta,
} from '../support/spl-evaluator.js';

const CONFIG = loadConfig(`${REPO_DIR}siemc.config.json`);
const ENDPOINT: SplMeta = { index: 'endpoint', sourcetype: 'elastic:endpoint:network' };
const TEST_META: SplMeta = { index: 'test' };
const TEST_CONFIG: ProjectConfig = { splunk: { sources: { 'test-*': { index: 'test' } } } };

function fakeRule(query: ir.Node, index: readonly string[] = ['test-*']): Rule {
  return { id: 'spl-test', name: 'spl test', index, query, tests: [] } as unknown as Rule;
}

/** Compiles an IR tree the way compileRules does (normalised), collecting approximations. */
function compile(query: ir.Node, index?: readonly string[], config: ProjectConfig = TEST_CONFIG): { text: string; notes: Approximation[] } {
  const notes: Approximation[] = [];
  const text = spl.compile(normalize(query), { rule: fakeRule(query, index), config, approximate: (a) => notes.push(a) });
  return { text, notes };
}

const kw = (name: string): ir.Field => ({ name, type: 'keyword' });

const edgeCases = referenceEdgeCases;

// ---------------------------------------------------------------------------------------------

describe('SPL evaluator follows the documented rules (target-semantics §11)', () => {
  const q = (text: string, event: Json): boolean => splMatches(`search index=test ${text}`, event, TEST_META);

  it('vector 1: search values ignore case', () => {
    expect(q('f="pastebin.*"', { f: 'PASTEBIN.com' })).toBe(true);
  });
  it('vectors 2, 3, 33, 34: `?` is literal in search, `*` is a wildcard', () => {
    expect(q('f="?.docs.live.net"', { f: 'a.docs.live.net' })).toBe(false);
    expect(q('f="*.docs.live.net"', { f: 'ab.docs.live.net' })).toBe(true);
    expect(q('f="a?b"', { f: 'a?b' })).toBe(true);
    expect(q('f="a?b"', { f: 'aXb' })).toBe(false);
  });
  it('vectors 10, 11: a literal `*` needs where', () => {
    expect(q('f="x*y"', { f: 'xAy' })).toBe(true);
    expect(q('| where f=="x*y"', { f: 'x*y' })).toBe(true);
    expect(q('| where f=="x*y"', { f: 'xAy' })).toBe(false);
  });
  it('vectors 12, 13, 14: NOT keeps events without the field, != does not', () => {
    const absent = { g: 1 };
    expect(q('NOT f="x"', absent)).toBe(true);
    expect(q('f!="x"', absent)).toBe(false);
    expect(q('NOT f IN (a, b)', absent)).toBe(true);
    expect(q('NOT f=*', absent)).toBe(true);
    expect(q('f!=*', absent)).toBe(false);
    expect(q('f!=*', { f: 'x' })).toBe(false);
  });
  it('vector 28: in search, OR binds tighter than AND; in where, AND binds tighter', () => {
    const e = { a: 0, c: 3 };
    expect(q('a=1 b=2 OR c=3', e)).toBe(false);
    expect(q('(a=1 b=2) OR c=3', e)).toBe(true);
    expect(q('a=1 AND b=2 OR c=3', e)).toBe(false);
    expect(q('| where a==1 AND b==2 OR c==3', e)).toBe(true);
  });
  it('where: null from a missing field is not true, and NOT null is not true either', () => {
    expect(q('| where NOT match(f, "x")', { g: 1 })).toBe(false);
    expect(q('| where NOT (isnotnull(f) AND match(f, "x"))', { g: 1 })).toBe(true);
    expect(q("| where isnull('a.b')", { a: {} })).toBe(true);
  });
  it('where: match() is PCRE, unanchored; `$` accepts a final newline, `\\z` does not', () => {
    expect(q('| where match(f, "b")', { f: 'abc' })).toBe(true);
    expect(q('| where match(f, "^a$")', { f: 'a\n' })).toBe(true);
    expect(q('| where match(f, "^a\\\\z")', { f: 'a\n' })).toBe(false);
    expect(q('| where match(f, "^a.b")', { f: 'a\nb' })).toBe(false);
    expect(q('| where match(f, "(?s)^a.b")', { f: 'a\nb' })).toBe(true);
    expect(q('| where match(f, "(?i)^k\\\\z")', { f: '\u212a' })).toBe(true);
    expect(q('| where match(f, "(?i)^(?-i:[kK])\\\\z")', { f: '\u212a' })).toBe(false);
  });
  it('multivalue fields: any value', () => {
    expect(q('f="b"', { f: ['a', 'b'] })).toBe(true);
    expect(q('| where match(f, "^b")', { f: ['a', 'b'] })).toBe(true);
    expect(q('| where isnotnull(mvfilter(f>1 AND f<3))', { f: [0, 10] })).toBe(false);
    expect(q('| where isnotnull(mvfilter(f>1 AND f<3))', { f: [0, 2] })).toBe(true);
  });
  it('search folds more than ASCII (the widest plausible reading)', () => {
    expect(searchSameChar(0x73, 0x17f)).toBe(true); // s, long s
    expect(searchSameChar(0x6b, 0x212a)).toBe(true); // k, Kelvin
    expect(searchSameChar(0x69, 0x131)).toBe(true); // i, dotless i
    expect(searchSameChar(0xe9, 0xc9)).toBe(true); // é, É
    expect(searchSameChar(0x61, 0x62)).toBe(false);
  });
  it('comments are spaces; a stray backtick is a parse error', () => {
    expect(q('```a comment``` f="x"', { f: 'x' })).toBe(true);
    expect(() => parseSpl('search index=test f="`x`"')).toThrow();
  });
});

describe('the ASCII letters that fold beyond ASCII are exactly i, k, s', () => {
  it('under the evaluator\'s search folding and PCRE caseless sets', () => {
    const risky = new Set<string>();
    for (let cp = 0x80; cp <= 0x1ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      for (let a = 0x61; a <= 0x7a; a++) {
        if (searchSameChar(a, cp)) risky.add(String.fromCodePoint(a));
      }
    }
    expect([...risky].sort()).toEqual(['i', 'k', 's']);
    const pcreRisky = [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => caselessSet(c.codePointAt(0) ?? 0).length > 2);
    expect(pcreRisky).toEqual(['k', 's']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('reference rule', async () => {
  const rule = await referenceRule();
  const query = normalize(rule.query);
  const { outputs, diagnostics } = compileRules([rule], [spl], { config: CONFIG });
  const text = (outputs[0] as { text: string }).text;
  const snapshotPath = `${REPO_DIR}snapshots/${rule.id}/${spl.fileName}`;
  const snapshot = existsSync(snapshotPath) ? readFileSync(snapshotPath, 'utf8') : undefined;

  it('compiles without diagnostics, from the configured index and sourcetype', () => {
    expect(diagnostics).toEqual([]);
    expect(text.startsWith('search index=endpoint sourcetype="elastic:endpoint:network"\n')).toBe(true);
  });

  it('is laid out for diffs: one domain per line, `| where` on its own line, NOT instead of !=', () => {
    expect(text).toContain('\n    "*.docs.live.net",\n');
    expect(text).toContain('\n| where ');
    expect(text.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(1);
    expect(text).not.toMatch(/!=/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it.skipIf(snapshot === undefined)('matches the committed snapshot', () => {
    expect(snapshot).toBe(text);
  });

  const cases = [
    ...rule.tests.map((t) => ({ name: `test event: ${t.name}`, event: t.event, expect: t.expect === 'match' })),
    ...edgeCases.map((c) => ({ name: `edge case: ${c.name}`, event: c.event, expect: c.expect })),
  ];
  it.each(cases.map((c) => [c.name, c] as const))('agrees with the reference evaluator: %s', (_name, c) => {
    const irVerdict = evaluate(query, c.event);
    expect(irVerdict).toBe(c.expect);
    expect(splMatches(text, c.event, ENDPOINT)).toBe(irVerdict);
    if (snapshot !== undefined) expect(splMatches(snapshot, c.event, ENDPOINT)).toBe(irVerdict);
  });

  it('selects nothing from other indexes or sourcetypes', () => {
    const first = rule.tests.find((t) => t.expect === 'match');
    expect(first).toBeDefined();
    const event = (first as { event: Json }).event;
    expect(splMatches(text, event, ENDPOINT)).toBe(true);
    expect(splMatches(text, event, { index: 'main', sourcetype: 'elastic:endpoint:network' })).toBe(false);
    expect(splMatches(text, event, { index: 'endpoint', sourcetype: 'other' })).toBe(false);
  });

  it('the search part alone keeps every matching event (a sound prefilter)', () => {
    const searchOnly = text.split('\n| where ')[0] as string;
    for (const c of cases) if (c.expect) expect(splMatches(searchOnly, c.event, ENDPOINT), c.name).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('small rules (target-semantics vectors)', () => {
  const f = kw('f');
  const run = (node: ir.Node, event: Json): boolean => splMatches(compile(node).text, event, TEST_META);

  it('`s` keeps a value in where (search may fold it with ſ); values without letters need no where', () => {
    const { text } = compile(ir.match(f, [exactPattern('paste.ee')], true));
    expect(text).toBe(
      'search index=test\n  f="paste.ee"\n```(?i) folds ASCII letters; (?-i:[sS]) and (?-i:[kK]) keep it from also matching ſ and the Kelvin sign, as the rule requires```\n| where match(\'f\', "(?i)^pa(?-i:[sS])te\\\\.ee\\\\z")\n',
    );
    const digits = compile(ir.match(f, [exactPattern('10.0.0.1'), globPattern('192.168.*')], false)).text;
    expect(digits).toBe('search index=test\n  f IN ("10.0.0.1", "192.168.*")\n');
  });

  it('`?` and a literal `*` go to where; NOT keeps events without the field', () => {
    const node = ir.match(f, [globPattern('?.docs.live.net')], true);
    expect(run(node, { f: 'a.docs.live.net' })).toBe(true);
    expect(run(node, { f: 'ab.docs.live.net' })).toBe(false);
    const star = ir.match(f, [exactPattern('x*y')], false);
    expect(run(star, { f: 'x*y' })).toBe(true);
    expect(run(star, { f: 'xAy' })).toBe(false);
    expect(run(ir.not(star), { g: 1 })).toBe(true);
    expect(run(ir.not(ir.exists(f)), { g: 1 })).toBe(true);
    expect(compile(ir.not(ir.exists(f))).text).toBe('search index=test\n  NOT f=*\n');
  });

  it('and/or are parenthesised in search (OR binds tighter there)', () => {
    const node = ir.or([ir.and([ir.match(kw('a'), [exactPattern('1')], false), ir.match(kw('b'), [exactPattern('2')], false)]), ir.match(kw('c'), [exactPattern('3')], false)]);
    const { text } = compile(node);
    expect(text).toBe('search index=test\n  (\n    (\n      a="1"\n      AND b="2"\n    )\n    OR c="3"\n  )\n');
    expect(run(node, { a: 0, c: 3 })).toBe(true);
  });

  it('booleans, numbers, ranges, CIDR', () => {
    const t = ir.equals(kw('t'), true);
    expect(run(t, { t: true })).toBe(true);
    expect(run(t, { t: 'true' })).toBe(true);
    expect(run(t, { t: 'TRUE' })).toBe(false);
    expect(run(ir.equals(kw('t'), false), { t: '' })).toBe(true);
    expect(run(ir.equals(kw('n'), 5), { n: '5.0' })).toBe(true);
    expect(run(ir.equals(kw('n'), 5), { n: [4, 6] })).toBe(false);
    const between = ir.range(kw('n'), { gte: 1, lte: 3 });
    expect(run(between, { n: [0, 10] })).toBe(false);
    expect(run(between, { n: [0, 2] })).toBe(true);
    expect(run(ir.not(between), { g: 1 })).toBe(true);
    expect(compile(ir.range(kw('n'), { gt: 5 })).text).toBe('search index=test\n  n>5\n');
    const net = ir.cidr(kw('ip'), ['10.0.0.0/8', '2001:db8::/32']);
    expect(run(net, { ip: '10.1.2.3' })).toBe(true);
    expect(run(net, { ip: '2001:db8::1' })).toBe(true);
    expect(run(net, { ip: '11.1.2.3' })).toBe(false);
    expect(run(ir.not(net), { g: 1 })).toBe(true);
  });

  it('regexes: anchored, exact about case and newlines', () => {
    const r = ir.regex(kw('f'), 'a[b-d]+\\.x', true);
    expect(run(r, { f: 'ABC.x' })).toBe(true);
    expect(run(r, { f: 'ABC.x\n' })).toBe(false);
    expect(run(r, { f: 'zABC.x' })).toBe(false);
    const k = ir.regex(kw('f'), 'k[a-z]', true);
    expect(run(k, { f: 'Ks' })).toBe(true);
    // docs/semantics.md: case-insensitivity folds ASCII letters only (the Kelvin sign is not `k`).
    expect(run(k, { f: '\u212as' })).toBe(false);
    expect(run(k, { f: 'k\u017f' })).toBe(false);
    // Outside the portable subset (the DSL refuses these), but translated exactly when built directly.
    const spaces = ir.regex(kw('f'), '\\s\\d\\w$', false);
    expect(run(spaces, { f: '\u00a05_' })).toBe(true);
    expect(run(spaces, { f: ' 5é' })).toBe(false);
  });

  it('labels become comments, backticks in labels cannot end them', () => {
    const { text } = compile(ir.and([ir.match(f, [exactPattern('1')], false, 'one `two` ```three```'), ir.exists(kw('g'))]));
    expect(text).toContain("```one 'two' '''three'''``` f=\"1\"");
    expect(splMatches(text, { f: '1', g: '' }, TEST_META)).toBe(true);
  });
});

describe('diagnostics', () => {
  it('SIEMC-A201: an index pattern without a Splunk source searches index=*', () => {
    const { text, notes } = compile(ir.exists(kw('f')), ['logs-unknown-*']);
    expect(text).toBe('search index=*\n  f=*\n');
    expect(notes.map((n) => [n.code, n.direction])).toEqual([['SIEMC-A201', 'widened']]);
  });
  it('several index patterns are OR-ed inside parentheses', () => {
    const config: ProjectConfig = { splunk: { sources: { 'a-*': { index: 'a', sourcetype: 's:t' }, 'b-*': { index: 'b' } } } };
    const { text, notes } = compile(ir.exists(kw('f')), ['a-*', 'b-*'], config);
    expect(notes).toEqual([]);
    expect(text).toBe('search ((index=a sourcetype="s:t") OR index=b)\n  f=*\n');
    expect(splMatches(text, { f: 1 }, { index: 'b' })).toBe(true);
    expect(splMatches(text, { f: 1 }, { index: 'a', sourcetype: 'x' })).toBe(false);
  });
  it('SIEMC-A202: field names SPL cannot carry', () => {
    const { notes } = compile(ir.exists(kw("it's")));
    expect(notes.map((n) => n.code)).toEqual(['SIEMC-A202']);
  });
  it('SIEMC-A203: regex constructs outside the portable subset', () => {
    const { notes } = compile(ir.regex(kw('f'), '(?<=a)b\\p{L}', false));
    expect(notes.map((n) => n.code)).toEqual(['SIEMC-A203', 'SIEMC-A203']);
  });
  it('the capability table covers every construct', () => {
    expect(Object.keys(spl.capabilities).sort()).toEqual(Object.keys(CONSTRUCTS).sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Values derived from patterns: instances (with case changes) and near misses.

/** Characters that break case folding or escaping somewhere. */
const FILL = ['a', 'x', 's', 'S', '\u017f', 'k', 'K', '\u212a', 'i', 'I', '\u0131', '\u0130', 'é', 'É', 'ß', '😀', '.', '\\', '"', '*', '?', '\n', ' ', '`', '-'];
const PARTNERS: { readonly [ch: string]: readonly string[] } = {
  s: ['S', '\u017f'], S: ['s', '\u017f'], k: ['K', '\u212a'], K: ['k', '\u212a'], i: ['I', '\u0131', '\u0130'], I: ['i', '\u0131'],
  'é': ['É', 'e'], 'É': ['é'], 'ß': ['ẞ', 'SS'],
};

class Choices {
  private i = 0;
  constructor(private readonly seq: readonly number[]) {}
  int(n: number): number {
    const v = this.seq[this.i++ % this.seq.length] ?? 0;
    return n <= 0 ? 0 : v % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

function otherCase(ch: string, r: Choices): string {
  const known = PARTNERS[ch];
  if (known !== undefined) return r.pick(known);
  const flipped = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
  return Array.from(flipped).length === 1 ? flipped : ch;
}

function instantiate(pattern: Pattern, r: Choices): string {
  let out = '';
  for (const part of pattern) {
    if (part.kind === 'literal') for (const ch of part.text) out += r.int(4) === 0 ? otherCase(ch, r) : ch;
    else if (part.kind === 'oneChar') out += r.pick(FILL);
    else for (let n = r.int(4); n > 0; n--) out += r.pick(FILL);
  }
  return out;
}

function mutate(value: string, r: Choices): string {
  const cps = Array.from(value);
  const at = r.int(cps.length + 1);
  switch (r.int(5)) {
    case 0: cps.splice(at, 1); break;
    case 1: cps.splice(at, 0, r.pick(FILL)); break;
    case 2: cps.splice(at, 1, r.pick(FILL)); break;
    case 3: if (cps[at] !== undefined) cps[at] = otherCase(cps[at] as string, r); break;
    default: cps.push('\n'); break;
  }
  return cps.join('');
}

function derivedValues(pattern: Pattern, r: Choices): string[] {
  const values: string[] = [];
  for (let k = 0; k < 3; k++) {
    const v = instantiate(pattern, r);
    values.push(v, mutate(v, r));
  }
  return values;
}

const choices = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 16, maxLength: 64 });

// ---------------------------------------------------------------------------------------------

describe('escaping reads back exactly', () => {
  it('SPL strings: the tokenizer reads back every value', () => {
    fc.assert(
      fc.property(adversarialString, (s) => {
        const quoted = splString(s);
        expect(readSplString(quoted, 0)).toEqual({ value: s, end: quoted.length });
        // A backtick starts a macro or a comment anywhere in SPL: the backend never puts one in a string.
        if (s.includes('`')) return;
        const q = parseSpl(`search index=test f=${quoted} | where match(f, ${quoted})`);
        expect(q.search).toEqual({ kind: 'and', children: [{ kind: 'cmp', field: 'index', op: '=', value: 'test' }, { kind: 'cmp', field: 'f', op: '=', value: s }] });
        expect(q.where[0]).toMatchObject({ kind: 'call', name: 'match', args: [{ kind: 'field', name: 'f' }, { kind: 'str', value: s }] });
      }),
      { numRuns: 10_000 },
    );
  });

  it('where field names read back', () => {
    fc.assert(
      fc.property(adversarialString, (name) => {
        fc.pre(!/[\u0000-\u001f\u007f`]/.test(name));
        const q = parseSpl(`search index=test | where isnotnull(${whereField(name)})`);
        expect(q.where[0]).toEqual({ kind: 'call', name: 'isnotnull', args: [{ kind: 'field', name }] });
      }),
      { numRuns: 10_000 },
    );
  });

  it('search values: never narrower than the pattern, and exact when they say so', () => {
    fc.assert(
      fc.property(adversarialPattern, fc.boolean(), choices, (pattern, ci, seq) => {
        const { text, exact } = searchValue(pattern, ci);
        const glob = readSplString(text, 0).value;
        const r = new Choices(seq);
        for (const v of derivedValues(pattern, r)) {
          const want = globMatches(pattern, v, ci);
          const got = searchGlob(glob, v);
          if (want) expect(got, JSON.stringify({ glob, v })).toBe(true);
          if (exact) expect(got, JSON.stringify({ glob, v })).toBe(want);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('where regexes match exactly the pattern\'s values (10,000 patterns)', () => {
    fc.assert(
      fc.property(adversarialPattern, fc.boolean(), choices, (pattern, ci, seq) => {
        const pcre = patternToPcre(pattern, ci);
        const literal = splString(pcre);
        expect(readSplString(literal, 0).value).toBe(pcre);
        const re = pcreToJs(pcre);
        const r = new Choices(seq);
        for (const v of [...derivedValues(pattern, r), ''].map((x) => x)) {
          expect(re.test(v), JSON.stringify({ pcre, v })).toBe(globMatches(pattern, v, ci));
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('where regexes for exact strings (10,000 strings)', () => {
    fc.assert(
      fc.property(adversarialString, fc.boolean(), choices, (s, ci, seq) => {
        const pattern = exactPattern(s);
        const re = pcreToJs(patternToPcre(pattern, ci));
        const r = new Choices(seq);
        expect(re.test(s)).toBe(true);
        for (const v of derivedValues(pattern, r)) expect(re.test(v), JSON.stringify({ s, v })).toBe(globMatches(pattern, v, ci));
      }),
      { numRuns: 10_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// IR regexes (portable subset) to PCRE

/** The portable subset (docs/semantics.md, src/ir/regex.ts): no letter escapes, anchors or lookaround. */
const regexAtom = fc.oneof(
  fc.constantFrom('a', 'b', 'k', 's', 'S', 'é', '😀', '\\.', '\\*', '\\\\', '\\[', '\\]', '\\$', '\\^', '"', '`', ' ', '-', '/', '#', '\n'),
  fc.constantFrom('.', '[a-c]', '[^a-z]', '[kK0-9]', '[ä-ü]', '[.\\]]', '[^\\-x]', '[😀-😂]', '[Z-c]'),
);
const regexSource: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small' },
    fc.array(fc.tuple(regexAtom, fc.constantFrom('', '', '*', '+', '?', '{1,2}')).map(([a, q]) => a + q), { minLength: 1, maxLength: 4 }).map((xs) => xs.join('')),
    fc.tuple(tie('re'), tie('re')).map(([a, b]) => `(?:${a}|${b})`),
    fc.tuple(tie('re'), tie('re')).map(([a, b]) => `(${a})${b}`),
  ),
})).re;

/** Values for a regex: JavaScript's own samples are not at hand, so characters from the same alphabet. */
const regexValue = fc.array(fc.constantFrom('a', 'b', 'c', 'A', 'B', 'C', 'k', 'K', 's', 'S', 'x', 'z', 'Z', '\u212a', '\u017f', 'é', 'É', 'ä', 'Ä', '😀', '😁', '.', '*', '\\', '[', ']', '$', '^', '"', '`', ' ', '\n', '-', '/', '#', '0', '_'), { maxLength: 6 }).map((cs) => cs.join(''));

describe('IR regexes as PCRE', () => {
  it('case-sensitive: same matches as JavaScript', () => {
    fc.assert(
      fc.property(regexSource, fc.array(regexValue, { minLength: 5, maxLength: 5 }), (source, values) => {
        expect(portableRegexProblem(source)).toBeUndefined();
        const { pcre, issues } = irRegexToPcre(source, false);
        expect(issues).toEqual([]);
        const re = pcreToJs(pcre);
        for (const v of values) expect(re.test(v), JSON.stringify({ source, pcre, v })).toBe(wholeValueRegex(source, false).test(v));
      }),
      { numRuns: 3_000 },
    );
  });

  it('case-insensitive: ASCII letters fold, nothing else (docs/semantics.md)', () => {
    fc.assert(
      fc.property(regexSource, fc.array(regexValue, { minLength: 5, maxLength: 5 }), (source, values) => {
        const { pcre, issues } = irRegexToPcre(source, true);
        expect(issues).toEqual([]);
        const re = pcreToJs(pcre);
        for (const v of values) {
          expect(re.test(v), JSON.stringify({ source, v })).toBe(wholeValueRegex(source, true).test(v));
        }
      }),
      { numRuns: 3_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random IR trees: SPL verdict == IR verdict.

const FIELDS = [kw('a'), kw('b.c'), kw('d')];
const smallLiteral = fc.array(fc.constantFrom('a', 'x', 's', 'S', 'k', 'i', 'é', '*', '?', '\\', '"', ' ', '.', '`'), { minLength: 1, maxLength: 3 }).map((cs) => literalPart(cs.join('')));
const smallPattern = fc
  .array(fc.oneof({ weight: 3, arbitrary: smallLiteral }, { weight: 1, arbitrary: fc.constant(ANY_RUN) }, { weight: 1, arbitrary: fc.constant(ONE_CHAR) }), { minLength: 1, maxLength: 4 })
  .map(makePattern);
const label = fc.option(fc.constantFrom('L', 'a `b`', '```'), { nil: undefined, freq: 4 });
const field = fc.constantFrom(...FIELDS);

const matchLeaf = fc
  .tuple(field, fc.array(smallPattern, { minLength: 1, maxLength: 3 }), fc.boolean(), label)
  .map(([f, ps, ci, l]) => ir.match(f, ps, ci, l));
const existsLeaf = fc.tuple(field, label).map(([f, l]) => ir.exists(f, l));

function tree(leaf: fc.Arbitrary<ir.Node>): fc.Arbitrary<ir.Node> {
  return fc.letrec<{ node: ir.Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      leaf,
      fc.tuple(fc.array(tie('node'), { minLength: 2, maxLength: 3 }), label).map(([cs, l]) => ir.and(cs, l)),
      fc.tuple(fc.array(tie('node'), { minLength: 2, maxLength: 3 }), label).map(([cs, l]) => ir.or(cs, l)),
      fc.tuple(tie('node'), label).map(([c, l]) => ir.not(c, l)),
    ),
  })).node;
}

function patternsOf(node: ir.Node): Pattern[] {
  if (node.kind === 'match') return [...node.patterns];
  if (node.kind === 'and' || node.kind === 'or') return node.children.flatMap(patternsOf);
  if (node.kind === 'not') return patternsOf(node.child);
  return [];
}

/** An event whose fields hold values derived from the tree's patterns (or are missing, null, arrays). */
function eventFor(node: ir.Node, seq: readonly number[]): Json {
  const r = new Choices(seq);
  const patterns = patternsOf(node);
  const value = (): string => {
    if (patterns.length === 0 || r.int(5) === 0) return r.pick(['', 'x', 'S', '\u017f', 'É']);
    const v = instantiate(r.pick(patterns), r);
    return r.int(3) === 0 ? mutate(v, r) : v;
  };
  const slot = (): Json => {
    switch (r.int(6)) {
      case 0: return null;
      case 1: return [value(), value()];
      case 2: return [];
      default: return value();
    }
  };
  const event: { [k: string]: Json } = {};
  if (r.int(4) !== 0) event.a = slot();
  if (r.int(4) !== 0) {
    if (r.int(2) === 0) event.b = { c: slot() };
    else event['b.c'] = slot();
  }
  if (r.int(4) !== 0) event.d = slot();
  return event;
}

describe('random IR trees: SPL evaluator verdict == IR evaluator verdict', () => {
  it('match/exists over 3 fields, ci and cs, with `?`, literal `*`, negations (3,000 trees x 4 events)', () => {
    fc.assert(
      fc.property(tree(fc.oneof({ weight: 3, arbitrary: matchLeaf }, { weight: 1, arbitrary: existsLeaf })), fc.array(choices, { minLength: 4, maxLength: 4 }), (node, seqs) => {
        const { text, notes } = compile(node);
        expect(notes).toEqual([]);
        const query = normalize(node);
        for (const seq of seqs) {
          const event = eventFor(node, seq);
          expect(splMatches(text, event, TEST_META), `${text}\n${JSON.stringify(event)}`).toBe(evaluate(query, event));
        }
      }),
      { numRuns: 3_000 },
    );
  });

  const numField = kw('n');
  const typedLeaf = fc.oneof(
    fc.constantFrom(true, false).map((b) => ir.equals(kw('t'), b)),
    fc.integer({ min: -2, max: 3 }).map((n) => ir.equals(numField, n)),
    fc
      .record({ gt: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }), gte: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }), lt: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }), lte: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }) })
      .filter((b) => Object.values(b).some((v) => v !== undefined))
      .map((b) => ir.range(numField, b)),
    fc.subarray(['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32', '10.1.2.3'], { minLength: 1 }).map((cs) => ir.cidr(kw('ip'), cs)),
    fc.constantFrom('a[b-d]*', 'k.s', '(?:x|é)+', '[0-9]+', '[^a]', '[Z-c]\\.').chain((re) => fc.boolean().map((ci) => ir.regex(kw('r'), re, ci))),
    fc.constantFrom('t', 'n', 'ip', 'r').map((n) => ir.exists(kw(n))),
  );
  const typedValue = fc.constantFrom<Json>(true, false, 'true', 'TRUE', 'false', '', 0, 1, 2, 2.5, '2', '2.0', ' 2', 'x', -1, '10.1.2.3', '10.9.9.9', '192.168.1.7', '2001:db8::1', '::ffff:10.0.0.1', 'abcd', 'KS', 'k\u017f', 'xé', '5', null);
  const typedEvent = fc.record(
    { t: fc.oneof(typedValue, fc.array(typedValue, { maxLength: 2 })), n: fc.oneof(typedValue, fc.array(typedValue, { maxLength: 3 })), ip: fc.oneof(typedValue, fc.array(typedValue, { maxLength: 2 })), r: typedValue },
    { requiredKeys: [] },
  );

  it('booleans, numbers, ranges, CIDR, regexes (2,000 trees x 4 events)', () => {
    fc.assert(
      fc.property(tree(typedLeaf), fc.array(typedEvent, { minLength: 4, maxLength: 4 }), (node, events) => {
        const { text } = compile(node);
        const query = normalize(node);
        for (const event of events) {
          expect(splMatches(text, event, TEST_META), `${text}\n${JSON.stringify(event)}`).toBe(evaluate(query, event));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
