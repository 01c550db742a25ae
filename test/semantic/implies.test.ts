/** The cheap implication test the emitter uses to skip near misses that cannot exist: sound, checked against the evaluator. */
import { describe, expect, it } from 'vitest';
import { and, exists, match, not, or, type Field, type Node } from '../../src/ir/nodes.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { implies } from '../../src/semantic/implies.js';

const f = (name: string): Field => ({ name, type: 'keyword' });
const cmd = f('process.command_line');
const contains = (s: string, ci = true): Node => match(cmd, [globPattern(`*${s}*`)], ci);

describe('implies', () => {
  it('shows what Sigma rules repeat: a longer contains, a subset of a list, a selection inside 1 of', () => {
    expect(implies(contains('advfirewall'), contains('firewall'))).toBe(true);
    expect(implies(contains('ADVFIREWALL'), contains('firewall'))).toBe(true);
    expect(implies(match(cmd, [globPattern('*\\cmd.exe')], true), match(cmd, [globPattern('*.exe')], true))).toBe(true);
    expect(implies(match(cmd, [globPattern('C:\\Windows\\*')], true), match(cmd, [globPattern('c:\\*')], true))).toBe(true);
    expect(implies(match(cmd, [globPattern('*.htm*'), globPattern('*.js*')], true), match(cmd, [globPattern('*.htm*'), globPattern('*.js*'), globPattern('*:\\Temp\\*')], true))).toBe(true);
    const ext = contains('.bat');
    expect(implies(ext, or([ext, and([contains(':\\Users\\'), contains('\\Favorites\\')])]))).toBe(true);
    expect(implies(and([ext, exists(f('x'))]), exists(f('x')))).toBe(true);
    expect(implies(contains('a'), exists(cmd))).toBe(true);
    expect(implies(not(contains('firewall')), not(contains('advfirewall')))).toBe(true);
  });

  it('claims nothing it cannot show', () => {
    expect(implies(contains('firewall'), contains('advfirewall'))).toBe(false);
    // Case: a case-insensitive value does not imply a case-sensitive one, and only ASCII folds.
    expect(implies(contains('firewall', true), contains('firewall', false))).toBe(false);
    expect(implies(contains('É'), contains('é'))).toBe(false);
    expect(implies(match(cmd, [exactPattern('a')], false), match(f('other'), [exactPattern('a')], false))).toBe(false);
    expect(implies(or([contains('a'), contains('b')]), contains('a'))).toBe(false);
  });

  it('never claims an implication an event refutes', () => {
    const values = ['', 'x', 'advfirewall', 'FIREWALL', 'a.bat', 'c:\\Users\\Favorites\\', 'É', 'é', 'abc.exe'];
    const leaves = [contains('firewall'), contains('advfirewall'), contains('É'), contains('é', false), contains('.bat'), match(cmd, [globPattern('*.exe')], false), exists(cmd)];
    const nodes = [...leaves, ...leaves.map((l) => not(l)), and([leaves[0] as Node, leaves[4] as Node]), or([leaves[1] as Node, leaves[5] as Node])];
    for (const a of nodes) {
      for (const b of nodes) {
        if (!implies(a, b)) continue;
        for (const v of values) {
          const event = { process: { command_line: v } };
          if (evaluate(a, event)) expect(evaluate(b, event), `${JSON.stringify(a)} => ${JSON.stringify(b)} on ${v}`).toBe(true);
        }
        expect(!evaluate(a, {}) || evaluate(b, {})).toBe(true);
      }
    }
  });
});
