/** EQL's cidrMatch takes networks: a bare address is written as a network of one, meaning the same addresses. */
import { expect, it } from 'vitest';
import { eql } from '../../src/backends/eql/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import { cidr } from '../../src/ir/nodes.js';
import { referenceRule } from '../support/rules.js';

it('writes ::1 as ::1/128 and 10.1.2.3 as 10.1.2.3/32, selecting the same addresses', async () => {
  const node = cidr({ name: 'destination.ip', type: 'ip' }, ['::1', '10.1.2.3', '192.168.0.0/16']);
  const text = eql.compile(node, { rule: await referenceRule(), config: {}, approximate: () => undefined });
  expect(text).toContain('cidrMatch(destination.ip, "::1/128", "10.1.2.3/32", "192.168.0.0/16")');
  const back = parseEql(text, () => 'ip');
  for (const ip of ['::1', '10.1.2.3', '10.1.2.4', '192.168.9.9', '::2'])
    expect(evaluate(back, { destination: { ip } }), ip).toBe(evaluate(node, { destination: { ip } }));
});
