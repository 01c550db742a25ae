/** A failing rule test names the test at its own line and the clause that decided the verdict. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decidingClause } from '../../src/eval/explain.js';
import { and, exists, match, not, or } from '../../src/ir/nodes.js';
import { exactPattern } from '../../src/ir/pattern.js';
import { siemc } from '../support/cli.js';
import { workspace, writeRules } from '../support/workspace.js';

const rule = `import { all, defineRule, field, not } from 'siemc';
import { tests } from './events.js';
export const r = defineRule({
  id: '30000000-0000-4000-8000-000000000001', name: 'r', description: 'd', author: ['t'], license: 'Apache-2.0',
  severity: 'low', riskScore: 1, schedule: { interval: '5m', from: 'now-6m' }, maxSignals: 1, index: ['logs-*'],
  tags: [], mitre: [], references: [], falsePositives: [], version: 1,
  query: all(field('process.name').equals('a.exe'), not(field('user.name').in(['svc']))),
  tests,
});
`;
const events = `export const tests = [
  { name: 'hit', expect: 'match', event: { process: { name: 'a.exe' } } },
  {
    name: 'service account',
    expect: 'match',
    event: { process: { name: 'a.exe' }, user: { name: 'svc' } },
  },
] as const;
`;

describe('a failing test event', () => {
  it("is reported at the test's own line, naming the deciding clause", () => {
    const ws = workspace();
    writeRules(ws, { 'r/rule.ts': rule, 'r/events.ts': events });
    const r = siemc(['build', '--rules', join(ws, 'rules'), '--out', join(ws, 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/rules\/r\/events\.ts:4:\d+: error SIEMC-R032: test event "service account" expects match but the query gives no match: decided by and > not > match user\.name, which is true for this event/);
  });
});

describe('decidingClause', () => {
  const f = (name: string) => ({ name, type: 'keyword' as const });
  const q = and([exists(f('a')), not(or([match(f('b'), [exactPattern('x')], false), match(f('c'), [exactPattern('y')], false)]))]);
  it('a false and: its first false child; through not, the child that made it so', () => {
    expect(decidingClause(q, { b: 'x' }).clause).toBe('and > exists a');
    expect(decidingClause(q, { a: 1, c: 'y' }).clause).toBe('and > not > or > match c');
  });
  it('a true and needs every child: the and itself', () => {
    expect(decidingClause(q, { a: 1 })).toMatchObject({ clause: 'and', holds: true });
  });
});
