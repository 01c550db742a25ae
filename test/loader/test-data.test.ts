/**
 * Lifting plain test events out of a module's text (src/loader/test-data.ts): the module run
 * with the lifted text and the values must build exactly what the original builds, and every
 * position outside the lifted elements must stay where it was (source maps and problem
 * locations depend on it).
 */
import { transformSync } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankPlainTests, blankProven, LIFTED_TESTS, liftPlainTests, plainTestRanges } from '../../src/loader/test-data.js';

/** Runs a module's text (TypeScript, CommonJS after esbuild) and returns its exports. */
function run(text: string, tests: readonly unknown[] = []): Record<string, unknown> {
  const { code } = transformSync(text, { loader: 'ts', format: 'cjs' });
  const module = { exports: {} as Record<string, unknown> };
  const siemc = { defineRule: (spec: unknown) => spec };
  new Function('exports', 'require', 'module', LIFTED_TESTS, code)(module.exports, () => siemc, module, tests);
  return module.exports;
}

/** Equal as values, and with every object's keys in the same order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const HEADER = "import { defineRule, type RuleTest } from 'siemc';\n";

describe('lifting plain test events', () => {
  it('builds the same events, with every position outside them unchanged', () => {
    const src = `${HEADER}export const t: readonly RuleTest[] = [
  { name: 'a', expect: 'match', event: { process: { name: "a\\\\b.exe", pid: -1, args: ['x', null, true, 0x1f, .5, 1e3] }, 2: 'two', 1: 'one' } },
  {
    name: 'multi-line',
    expect: 'no match',
    event: { 'quoted key': '\\u{1F600}\\t', nested: [[], {}] },
  },
  { name: 'spread', expect: 'match', event: { ...{ a: 1 } } },
];
export const r = defineRule({ tests: [{ name: 'b', expect: 'match', event: { k: 'v' } }], after: 1 }); export const where = 'same line';
`;
    const lifted = liftPlainTests(src);
    expect(lifted.values).toHaveLength(3);
    expect(lifted.text.length).toBe(src.length);
    expect(lifted.text.split('\n').map((l) => l.length)).toEqual(src.split('\n').map((l) => l.length));
    // Outside the lifted elements, every character is where it was.
    const at = src.indexOf("export const where = 'same line'");
    expect(lifted.text.indexOf("export const where = 'same line'")).toBe(at);
    expect(lifted.text).toContain("{ name: 'spread', expect: 'match', event: { ...{ a: 1 } } },");
    expect(sameValue(run(lifted.text, lifted.values), run(src))).toBe(true);
  });

  it('leaves an element whose lines are all shorter than the reference, and text naming the parameter', () => {
    const narrow = `${HEADER}export const t: readonly RuleTest[] = [{\nname:\n'a',\nexpect:\n'match',\nevent:\n{}\n}];\n`;
    // Proven (its proof still goes to the type check), not lifted.
    expect(liftPlainTests(narrow)).toEqual({ text: narrow, values: [], ranges: plainTestRanges(narrow) });
    expect(plainTestRanges(narrow)).toHaveLength(2);
    const named = `${HEADER}const ${LIFTED_TESTS} = 1;\nexport const t: readonly RuleTest[] = [{ name: 'a', expect: 'match', event: {} }];\n`;
    expect(liftPlainTests(named)).toEqual({ text: named, values: [], ranges: undefined });
  });

  it('leaves values JSON cannot carry exactly (-0, a number too large to be finite)', () => {
    const src = `${HEADER}export const t: readonly RuleTest[] = [\n  { name: 'a', expect: 'match', event: { n: -0 } },\n  { name: 'b', expect: 'match', event: { n: 1e999 } },\n  { name: 'c', expect: 'match', event: { n: -1 } },\n];\n`;
    const lifted = liftPlainTests(src);
    expect(lifted.values).toEqual([{ name: 'c', expect: 'match', event: { n: -1 } }]);
    expect(sameValue(run(lifted.text, lifted.values), run(src))).toBe(true);
  });

  it('any plain events, however written, build what the original builds', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '10', '007', 'a-b', 'constructor', 'toString'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    // The same value written in several ways a person might: quotes, bare keys, layout.
    const style = fc.record({ single: fc.boolean(), bare: fc.boolean(), newlines: fc.boolean() });
    const write = (v: unknown, s: { single: boolean; bare: boolean; newlines: boolean }): string => {
      const str = (t: string): string => (s.single ? `'${JSON.stringify(t).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'` : JSON.stringify(t));
      const sep = s.newlines ? ',\n    ' : ', ';
      if (typeof v === 'string') return str(v);
      if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
      if (v === null || typeof v === 'boolean') return String(v);
      if (Array.isArray(v)) return `[${v.map((x) => write(x, s)).join(sep)}]`;
      const entries = Object.entries(v as Record<string, unknown>);
      return `{${entries.map(([k, x]) => `${s.bare && /^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k)}: ${write(x, s)}`).join(sep)}}`;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(json, style), { minLength: 1, maxLength: 4 }), (events) => {
        const elements = events.map(([e, s], i) => `{ name: ${JSON.stringify(`t${i}`)}, expect: 'match', event: ${write(e, s)} }`);
        const src = `${HEADER}export const t: readonly RuleTest[] = [\n  ${elements.join(',\n  ')},\n];\nexport const r = defineRule({ tests: [${elements.join(', ')}] });\n`;
        const lifted = liftPlainTests(src);
        expect(lifted.text.length).toBe(src.length);
        expect(lifted.text.split('\n').length).toBe(src.split('\n').length);
        // Every element is lifted but those holding -0 (JSON cannot carry it).
        const negativeZero = (v: unknown): boolean => Object.is(v, -0) || (typeof v === 'object' && v !== null && Object.values(v).some(negativeZero));
        expect(lifted.values).toHaveLength(2 * events.filter(([e]) => !negativeZero(e)).length);
        expect(sameValue(run(lifted.text, lifted.values), run(src))).toBe(true);
        // Its proof, handed to the type check, blanks as the check's own proof would.
        expect(lifted.ranges).toEqual(plainTestRanges(src));
        expect(blankProven(src, lifted.ranges ?? [])).toBe(blankPlainTests(src));
      }),
      { numRuns: 300 },
    );
  });
});
