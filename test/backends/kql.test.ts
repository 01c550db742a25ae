import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Approximation, BackendContext } from '../../src/backends/backend.js';
import { CONSTRUCTS } from '../../src/backends/capabilities.js';
import { kql, KQL_CODES } from '../../src/backends/kql/index.js';
import { compileRules } from '../../src/compile.js';
import type { Direction } from '../../src/diagnostics.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { globMatches } from '../../src/eval/glob.js';
import type { Json } from '../../src/eval/values.js';
import * as ir from '../../src/ir/nodes.js';
import { mapLeaves } from '../../src/ir/fold.js';
import { normalize } from '../../src/ir/normalize.js';
import {
  ANY_RUN,
  exactPattern,
  hasOneChar,
  isExact,
  literalPart,
  makePattern,
  patternKey,
  type Pattern,
} from '../../src/ir/pattern.js';
import { adversarialChar, adversarialPattern, adversarialString } from '../support/arbitraries.js';
import { evaluateKql, parseKql, readClause, valuePattern, type KqlNode } from '../support/kql-tokenizer.js';
import { referenceRule } from '../support/rules.js';

let rule: Rule;
beforeAll(async () => {
  rule = await referenceRule();
});

/** Compiles an IR tree directly, collecting approximations with their nodes. */
function compile(query: ir.Node): { text: string; approximations: Approximation[] } {
  const approximations: Approximation[] = [];
  const context: BackendContext = { rule, config: {}, approximate: (a) => approximations.push(a) };
  return { text: kql.compile(query, context), approximations };
}

const F: ir.Field = { name: 'process.executable', type: 'keyword' };
const codes = (as: readonly Approximation[]): string[] => [...new Set(as.map((a) => a.code))].sort();
const keys = (ps: readonly Pattern[]): string[] => ps.map(patternKey);

/** Whitespace Lucene's query_string splits on (what SIEMC-A103 is about). */
const QS_SPACE = /[ \t\n\r\u3000]/;
const literalsOf = (p: Pattern): string[] => p.flatMap((part) => (part.kind === 'literal' ? [part.text] : []));

/** A random value matched by a pattern: each wildcard replaced by random text. */
function witness(pattern: Pattern, fill: readonly string[]): string {
  let i = 0;
  return pattern
    .map((p) => (p.kind === 'literal' ? p.text : p.kind === 'oneChar' ? ([...(fill[i++ % fill.length] ?? 'x')][0] ?? 'x') : (fill[i++ % fill.length] ?? '')))
    .join('');
}

describe('KQL backend: values read back (independent KQL reader, Kibana grammar)', () => {
  it('an exact value comes back exactly, quoted, with no approximation', () => {
    fc.assert(
      fc.property(adversarialString, (s) => {
        const { text, approximations } = compile(ir.match(F, [exactPattern(s)], false));
        expect(approximations).toEqual([]);
        const clause = readClause(text);
        expect(clause.field).toBe(F.name);
        expect(clause.values).toEqual([{ kind: 'quoted', text: s }]);
      }),
      { numRuns: 10_000 },
    );
  });

  it('a pattern without `?` comes back exactly, unless a reported rewrite widened it', () => {
    fc.assert(
      fc.property(
        adversarialPattern.filter((p) => !hasOneChar(p)),
        fc.array(adversarialString, { minLength: 1, maxLength: 3 }),
        (p, fill) => {
          const { text, approximations } = compile(ir.match(F, [p], false));
          const clause = readClause(text);
          expect(clause.field).toBe(F.name);
          expect(clause.values).toHaveLength(1);
          const back = valuePattern(clause.values[0] as (typeof clause.values)[0]);
          const rewrites = codes(approximations).filter((c) => c !== KQL_CODES.whitespaceSplit);
          if (rewrites.length === 0) expect(keys([back])).toEqual(keys([p]));
          else {
            // Never silent, and always a widening: whatever the pattern matched still matches.
            expect(keys([back])).not.toEqual(keys([p]));
            expect(globMatches(back, witness(p, fill), false)).toBe(true);
          }
          // Each rewrite is reported exactly when its cause is there.
          const first = p[0];
          const last = p[p.length - 1];
          const edges = !isExact(p) && ((first?.kind === 'literal' && /^\s/.test(first.text)) || (last?.kind === 'literal' && /\s$/.test(last.text)));
          expect(rewrites.includes(KQL_CODES.trimmed)).toBe(edges);
          if (rewrites.includes(KQL_CODES.marker)) expect(literalsOf(p).some((t) => t.includes('@'))).toBe(true);
          expect(rewrites.every((c) => c === KQL_CODES.trimmed || c === KQL_CODES.marker)).toBe(true);
          // Whitespace left inside a wildcard value is reported for detection rules.
          const split = !isExact(back) && literalsOf(back).some((t) => QS_SPACE.test(t));
          expect(codes(approximations).includes(KQL_CODES.whitespaceSplit)).toBe(split);
          if (isExact(p)) expect(clause.values[0]?.kind).toBe('quoted');
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('a pattern with `?` reads back with `*` in its place, reported as widened', () => {
    fc.assert(
      fc.property(
        adversarialPattern.filter(hasOneChar),
        fc.array(adversarialString, { minLength: 1, maxLength: 3 }),
        (p, fill) => {
          const { text, approximations } = compile(ir.match(F, [p], false));
          const back = valuePattern(readClause(text).values[0] as Parameters<typeof valuePattern>[0]);
          expect(back.some((part) => part.kind === 'oneChar')).toBe(false);
          expect(globMatches(back, witness(p, fill), false)).toBe(true);
          const oneChar = approximations.filter((a) => a.code === KQL_CODES.oneChar);
          expect(oneChar).toHaveLength(1);
          expect(oneChar[0]?.direction).toBe('widened');
          if (codes(approximations).every((c) => c === KQL_CODES.oneChar || c === KQL_CODES.whitespaceSplit)) {
            expect(keys([back])).toEqual(keys([makePattern(p.map((part) => (part.kind === 'oneChar' ? ANY_RUN : part)))]));
          }
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('a list of values reads back value by value, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(adversarialPattern.filter((p) => !hasOneChar(p)), { minLength: 2, maxLength: 5, selector: patternKey }), (ps) => {
        const { text, approximations } = compile(ir.match(F, ps, false));
        const back = readClause(text).values.map(valuePattern);
        if (approximations.every((a) => a.code === KQL_CODES.whitespaceSplit)) expect(keys(back)).toEqual(keys(ps));
        else expect(back.length).toBeLessThanOrEqual(ps.length);
      }),
      { numRuns: 10_000 },
    );
  });

  it('a field name comes back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(adversarialString, fc.constantFrom('@timestamp', 'a.b-c', 'not', 'TRUE', 'x*y', '1.2')), (name) => {
        const { text } = compile(ir.match({ name, type: 'keyword' }, [exactPattern('v')], false));
        expect(readClause(text).field).toBe(name);
      }),
      { numRuns: 10_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Kibana's own parser: @cybernetex/kbn-es-query, an Apache-2.0 copy of an older Kibana (7.x).

import { kbn, OLD_MARKER, prop, toOldDialect } from '../support/kibana-kql.js';

describe('KQL backend: Kibana parser (kbn-es-query) reads the intended values', () => {
  it('exact values: the match_phrase value is the intended string', () => {
    let checked = 0;
    fc.assert(
      fc.property(adversarialString, (s) => {
        const { text } = compile(ir.match(F, [exactPattern(s)], false));
        const old = toOldDialect(text);
        if (old === undefined) return;
        checked++;
        const dsl = kbn.toElasticsearchQuery(kbn.fromKueryExpression(old));
        const should = prop(prop(dsl, 'bool'), 'should');
        expect(prop(prop(prop(should, 0), 'match_phrase'), F.name)).toBe(s);
      }),
      { numRuns: 3_000 },
    );
    expect(checked).toBe(3_000);
  });

  it('wildcard values: the AST wildcard pattern rebuilds the intended pattern', () => {
    let checked = 0;
    fc.assert(
      fc.property(adversarialPattern.filter((p) => !isExact(p)), (p) => {
        const { text } = compile(ir.match(F, [p], false));
        const ours = valuePattern(readClause(text).values[0] as Parameters<typeof valuePattern>[0]);
        const old = toOldDialect(text);
        if (old === undefined) return;
        checked++;
        const ast = kbn.fromKueryExpression(old);
        expect(prop(ast, 'function')).toBe('is');
        const args = prop(ast, 'arguments');
        expect(prop(prop(args, 0), 'value')).toBe(F.name);
        const value = prop(args, 1);
        expect(prop(value, 'type')).toBe('wildcard');
        const parts = String(prop(value, 'value'))
          .split(OLD_MARKER)
          .flatMap((t, i) => (i === 0 ? [literalPart(t)] : [ANY_RUN, literalPart(t)]));
        // Our reader agrees with Kibana's, and (first test group) our reader gives the intended pattern.
        expect(keys([makePattern(parts)])).toEqual(keys([ours]));
        expect(() => kbn.toElasticsearchQuery(ast)).not.toThrow();
      }),
      { numRuns: 3_000 },
    );
    expect(checked).toBeGreaterThanOrEqual(2_000);
  });

  it('parses the whole reference rule output', () => {
    const { text } = compile(normalize(rule.query));
    const ast = kbn.fromKueryExpression(text);
    expect(prop(ast, 'function')).toBe('and');
    expect(JSON.stringify(kbn.toElasticsearchQuery(ast))).toContain('"must_not"');
  });
});

// ---------------------------------------------------------------------------------------------

describe('KQL backend: the reference rule', () => {
  const compileReference = () => compileRules([rule], [kql]);

  it('is byte-stable and readable', () => {
    const a = compileReference();
    const b = compileReference();
    const text = (a.outputs[0] as { text: string }).text;
    expect(text).toBe((b.outputs[0] as { text: string }).text);
    expect(text.endsWith(')\n')).toBe(true);
    expect(text).toContain('\nand not user.id: ("S-1-5-18" or "S-1-5-19" or "S-1-5-20")\n');
    expect(text).toContain('\nand process.name: *\n');
    expect(text).toContain('\n    or *\\:\\\\Program Files \\(x86\\)\\\\*.exe\n');
    expect(text).toContain('\n    and process.code_signature.trusted: true\n');
  });

  it('names the case, `?` and whitespace clauses with their rule-level directions', () => {
    const { diagnostics } = compileReference();
    const find = (code: string, clauseEnd: string) =>
      diagnostics.filter((d) => d.code === code && d.clause?.endsWith(clauseEnd)).map((d) => d.direction);
    const domains = 'and > match dns.question.name "Add new WebSvc domains here"';
    const paths = 'not "Insert noisy false positives here" > or > match process.executable';
    const msSigner = 'and "Microsoft signed binaries" > match process.code_signature.subject_name';

    // The domain list is matched directly: case narrows, `*` for `?` widens.
    expect(find(KQL_CODES.caseInsensitive, domains)).toEqual(['narrowed']);
    expect(find(KQL_CODES.oneChar, domains)).toEqual(['widened']);
    // The exclusions sit under `not`: every local direction is flipped.
    expect(find(KQL_CODES.caseInsensitive, paths)).toEqual(['widened']);
    expect(find(KQL_CODES.oneChar, paths)).toEqual(['narrowed']);
    // `?:\Program Files\*.exe` splits into `*:\Program` OR `Files\*.exe`: neither wider nor narrower.
    expect(find(KQL_CODES.whitespaceSplit, paths)).toEqual(['not expressible']);
    // `Microsoft *` splits into `Microsoft` OR `*` (exists): wider locally, so the rule is narrowed.
    expect(find(KQL_CODES.caseInsensitive, msSigner)).toEqual(['widened']);
    expect(find(KQL_CODES.whitespaceSplit, msSigner)).toEqual(['narrowed']);

    // Every case-insensitive leaf is reported, and nothing else than the three.
    const ciLeaves: string[] = [];
    const walk = (n: ir.Node): void => {
      if (n.kind === 'match' && n.caseInsensitive) ciLeaves.push(n.field.name);
      if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk);
      if (n.kind === 'not') walk(n.child);
    };
    walk(normalize(rule.query));
    expect(diagnostics.filter((d) => d.code === KQL_CODES.caseInsensitive)).toHaveLength(ciLeaves.length);
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(
      new Set([KQL_CODES.caseInsensitive, KQL_CODES.oneChar, KQL_CODES.whitespaceSplit]),
    );
    expect(diagnostics.every((d) => d.target === 'kql' && d.severity === 'warning')).toBe(true);
    expect(diagnostics.some((d) => /user\.id|host\.os\.type|network\.protocol|event\.category/.test(d.clause ?? ''))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

/** The documented meaning of each reported rewrite, applied to the IR (independently of the backend). */
function approximated(query: ir.Node, approximations: readonly Approximation[]): ir.Node {
  const byNode = new Map<ir.Node, Set<string>>();
  for (const a of approximations) {
    byNode.set(a.node, (byNode.get(a.node) ?? new Set()).add(a.code));
  }
  return mapLeaves(query, (leaf) => {
    const what = byNode.get(leaf);
    if (what === undefined) return leaf;
    if (leaf.kind === 'regex' && what.has(KQL_CODES.regex)) return ir.exists(leaf.field, leaf.label);
    if (leaf.kind !== 'match') return leaf;
    const patterns = what.has(KQL_CODES.oneChar)
      ? leaf.patterns.map((p) => makePattern(p.map((part) => (part.kind === 'oneChar' ? ANY_RUN : part))))
      : leaf.patterns;
    // SIEMC-A103 is about detection rules; with known field types (what evaluateKql models) the value is exact.
    return ir.match(leaf.field, patterns, what.has(KQL_CODES.caseInsensitive) ? false : leaf.caseInsensitive, leaf.label);
  });
}

/** Whether a node sits under an odd number of `not`s. */
function negated(root: ir.Node, target: ir.Node, under = false): boolean | undefined {
  if (root === target) return under;
  if (root.kind === 'not') return negated(root.child, target, !under);
  if (root.kind === 'and' || root.kind === 'or') {
    for (const c of root.children) {
      const found = negated(c, target, under);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function fieldTypes(node: ir.Node, out = new Map<string, ir.FieldType>()): Map<string, ir.FieldType> {
  if (ir.isLeaf(node)) out.set(node.field.name, node.field.type);
  else if (node.kind === 'not') fieldTypes(node.child, out);
  else node.children.forEach((c) => fieldTypes(c, out));
  return out;
}

describe('KQL backend: test events (KQL evaluator vs the reference evaluator)', () => {
  it('every disagreement is explained by a reported approximation, in the reported direction', () => {
    const query = normalize(rule.query);
    const { text, approximations } = compile(query);
    const ast: KqlNode = parseKql(text);
    const types = fieldTypes(query);
    const approx = approximated(query, approximations);
    const disagreements: string[] = [];
    for (const t of rule.tests) {
      const event = t.event as Json;
      const want = evaluate(query, event);
      const got = evaluateKql(ast, event, { fieldType: (n) => types.get(n) });
      // The KQL means exactly the IR with the reported rewrites applied: nothing unreported.
      expect(got, t.name).toBe(evaluate(approx, event));
      if (got === want) continue;
      disagreements.push(t.name);
      const change: Direction = got ? 'widened' : 'narrowed';
      const explaining = approximations.filter((a) => evaluate(approximated(query, [a]), event) !== want);
      expect(explaining.length, t.name).toBeGreaterThan(0);
      const directions = explaining.map((a) => {
        const flip = negated(query, a.node) === true;
        return flip && a.direction !== 'not expressible' ? (a.direction === 'widened' ? 'narrowed' : 'widened') : a.direction;
      });
      expect(directions, t.name).toContain(change);
    }
    // Case variants and one-character wildcards are where KQL differs on these events.
    expect(disagreements).toEqual([
      'domain match ignores case',
      '`?.docs.live.net` with two characters',
      '`?.docs.live.net` with none',
      'excluded: Program Files, lower case, other drive',
      '`?:` is one drive letter',
      'excluded: Firefox, any domain, signer case ignored',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('KQL backend: constructs and escaping', () => {
  const one = (node: ir.Node) => compile(node);
  const b: ir.Field = { name: 'process.code_signature.trusted', type: 'boolean' };
  const n: ir.Field = { name: 'process.pid', type: 'long' };
  const ip: ir.Field = { name: 'source.ip', type: 'ip' };

  it('has a capability entry for every construct', () => {
    expect(Object.keys(kql.capabilities).sort()).toEqual(Object.keys(CONSTRUCTS).sort());
    expect(kql.name).toBe('kql');
    expect(kql.fileName).toBe('kql.kql');
    expect(kql.title).toBe('Kibana KQL');
  });

  it('writes exists, not, booleans, numbers, ranges and CIDRs', () => {
    expect(one(ir.exists(F)).text).toBe('process.executable: *\n');
    expect(one(ir.not(ir.exists(F))).text).toBe('not process.executable: *\n');
    expect(one(ir.equals(b, true)).text).toBe('process.code_signature.trusted: true\n');
    expect(one(ir.equals(n, -4)).text).toBe('process.pid: -4\n');
    expect(one(ir.range(n, { gte: 5 })).text).toBe('process.pid >= 5\n');
    expect(one(ir.range(n, { gt: 1, lte: 9 })).text).toBe('(process.pid > 1 and process.pid <= 9)\n');
    const cidr = one(ir.cidr(ip, ['10.0.0.0/8', '2001:db8::/32']));
    expect(cidr.text).toBe('source.ip: ("10.0.0.0/8" or "2001:db8::/32")\n');
    expect(cidr.approximations).toEqual([]);
    const onKeyword = one(ir.cidr(F, ['10.0.0.0/8']));
    expect(codes(onKeyword.approximations)).toEqual([KQL_CODES.cidrNotIp]);
  });

  it('reports a regex as not expressible and writes a sound superset', () => {
    const { text, approximations } = one(ir.regex(F, 'a.c', false));
    expect(text).toBe('process.executable: *\n');
    expect(approximations.map((a) => [a.code, a.direction])).toEqual([[KQL_CODES.regex, 'widened']]);
    expect(approximations[0]?.message).toMatch(/no regular expressions/);
  });

  it('parenthesises groups, negated negations and empty groups', () => {
    const x = ir.match(F, [exactPattern('x')], false);
    const y = ir.match({ name: 'y', type: 'keyword' }, [exactPattern('y')], false);
    expect(one(ir.or([ir.and([x, y]), ir.not(ir.not(x, 'kept'))])).text).toBe(
      '(\n  process.executable: "x"\n  and y: "y"\n)\nor not (not process.executable: "x")\n',
    );
    expect(parseKql(one(ir.and([])).text)).toBeDefined();
    expect(evaluateKql(parseKql(one(ir.and([])).text), {})).toBe(true);
    expect(evaluateKql(parseKql(one(ir.or([])).text), {})).toBe(false);
  });

  it('escapes keywords, including `not`, which `\\not` cannot write', () => {
    const glob = (text: string) => one(ir.match(F, [makePattern([literalPart(text), ANY_RUN])], false)).text;
    expect(glob('not x')).toBe('process.executable: \\u006Eot x*\n');
    expect(glob('NOT x')).toBe('process.executable: \\NOT x*\n');
    expect(glob('a or b and c')).toBe('process.executable: a \\or b \\and c*\n');
    expect(glob('color')).toBe('process.executable: color*\n');
    expect(glob('x or')).toBe('process.executable: x or*\n');
    // A value ending in a keyword sits before a separator: escaped there.
    const tail = one(ir.match(F, [makePattern([ANY_RUN, literalPart('x or')]), exactPattern('y')], false)).text;
    expect(tail).toBe('process.executable: (*x \\or or "y")\n');
    expect(readClause(tail).values.map(valuePattern)).toHaveLength(2);
  });

  it('writes backslashes so that `\\t` stays a backslash and a t', () => {
    expect(one(ir.match(F, [exactPattern('C:\\temp\\a')], false)).text).toBe('process.executable: "C:\\\\temp\\\\a"\n');
    expect(one(ir.match(F, [exactPattern('a\tb\u0000"')], false)).text).toBe('process.executable: "a\\tb\\u0000\\""\n');
    const lone = one(ir.match(F, [exactPattern('\uD800x\u00A0')], false)).text;
    expect(lone).toBe('process.executable: "\\uD800x\\u00A0"\n');
    expect(readClause(lone).values).toEqual([{ kind: 'quoted', text: '\uD800x\u00A0' }]);
    expect(one(ir.match(F, [], false)).text).toBe('not *: *\n');
    const glob = one(ir.match(F, [makePattern([literalPart('C:\\t*{x}'), ANY_RUN])], false)).text;
    expect(glob).toBe('process.executable: C\\:\\\\t\\*\\{x\\}*\n');
  });

  it('quotes unusual field names', () => {
    expect(one(ir.exists({ name: 'my field', type: 'keyword' })).text).toBe('"my field": *\n');
    expect(one(ir.exists({ name: 'not', type: 'keyword' })).text).toBe('"not": *\n');
    expect(one(ir.exists({ name: '@timestamp', type: 'date' })).text).toBe('@timestamp: *\n');
  });

  it('rewrites edge whitespace and the wildcard marker, reported as widened', () => {
    const edge = one(ir.match(F, [makePattern([literalPart(' a'), ANY_RUN, literalPart('b\t')])], false));
    expect(edge.text).toBe('process.executable: *a*b*\n');
    expect(edge.approximations.map((a) => [a.code, a.direction])).toEqual([[KQL_CODES.trimmed, 'widened']]);
    const marker = one(ir.match(F, [makePattern([literalPart('x@kuery-wildcard@y'), ANY_RUN])], false));
    expect(marker.approximations.map((a) => [a.code, a.direction])).toEqual([[KQL_CODES.marker, 'widened']]);
    expect(keys([valuePattern(readClause(marker.text).values[0] as Parameters<typeof valuePattern>[0])])).toEqual(
      keys([makePattern([literalPart('x'), ANY_RUN, literalPart('kuery-wildcard'), ANY_RUN, literalPart('y'), ANY_RUN])]),
    );
  });

  it('reports ignoring case exactly when some literal has an ASCII letter (the only letters the IR folds)', () => {
    const partnered = new Set<number>();
    for (let cp = 0x41; cp <= 0x7a; cp++) if (/[A-Za-z]/.test(String.fromCodePoint(cp))) partnered.add(cp);
    for (const cp of partnered) {
      const { approximations } = one(ir.match(F, [exactPattern(String.fromCodePoint(cp))], true));
      expect(codes(approximations), cp.toString(16)).toEqual([KQL_CODES.caseInsensitive]);
    }
    // É, ß, İ ... are compared exactly by the IR even when ignoring case, as KQL does.
    for (const ch of ['É', 'é', 'ß', 'İ', 'Ꙅ']) expect(codes(one(ir.match(F, [exactPattern(ch)], true)).approximations)).toEqual([]);
    // ... and a value without one is exact, since ignoring case changes nothing for it.
    fc.assert(
      fc.property(fc.array(adversarialChar, { maxLength: 8 }), (cs) => {
        const s = cs.join('');
        const { approximations } = one(ir.match(F, [exactPattern(s)], true));
        if (approximations.length === 0) for (const a of s) expect(partnered.has(a.codePointAt(0) as number)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
