/** Witnesses built from the leaves: confirmed by the evaluator, found for the shapes Sigma rules have, quick on long lists. */
import { describe, expect, it } from 'vitest';
import { and, cidr, exists, match, not, or, range, type Field, type Node } from '../../src/ir/nodes.js';
import { globPattern } from '../../src/ir/pattern.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { constructWitnesses } from '../../src/semantic/construct.js';

const f = (name: string, type: Field['type'] = 'keyword'): Field => ({ name, type });
const image = f('process.executable');
const cmd = f('process.command_line');

describe('constructWitnesses', () => {
  it('finds a matching event and near misses, each confirmed by the evaluator', () => {
    const clauses: Node[] = [
      match(image, [globPattern('*\\netsh.exe')], true),
      match(cmd, [globPattern('*firewall*')], true),
      not(match(cmd, [globPattern('*allow*')], true)),
      range(f('process.pid', 'long'), { gt: 4 }),
      not(cidr(f('source.ip', 'ip'), ['10.0.0.0/8'])),
    ];
    const q = and(clauses);
    const pairs: [Node, Node][] = [[q, or([])], [and([]), q], ...clauses.map((_, i): [Node, Node] => [and(clauses.filter((_, j) => j !== i)), q])];
    const found = constructWitnesses(pairs);
    found.forEach((event, i) => {
      expect(event, `question ${i}`).toBeDefined();
      const [x, y] = pairs[i] as [Node, Node];
      expect(evaluate(x, event ?? {}) && !evaluate(y, event ?? {})).toBe(true);
    });
  });

  it('answers a hundred contains values at once in milliseconds', () => {
    const list = Array.from({ length: 150 }, (_, i) => globPattern(`*Agent${i}x*`));
    const q = and([match(f('rule.name'), list, true), exists(f('host.name'))]);
    const started = performance.now();
    const [hit] = constructWitnesses([[q, or([])]]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(hit !== undefined && evaluate(q, hit)).toBe(true);
  });

  it('says "not found" for an impossible question, never a wrong event', () => {
    const a = match(cmd, [globPattern('*advfirewall*')], true);
    const b = match(cmd, [globPattern('*firewall*')], true);
    expect(constructWitnesses([[a, b], [and([exists(cmd), not(exists(cmd))]), or([])]])).toEqual([undefined, undefined]);
  });
});
