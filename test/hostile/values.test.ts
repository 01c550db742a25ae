/**
 * Values the type checker cannot see, through the CLI: each is an error at the rule's own line,
 * exit 1, and the outputs already built stay byte-identical.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { ruleModule, tree, workspace, writeRules } from '../support/workspace.js';

const bad = (query: string): string => `import { ${query.startsWith('custom') ? 'customField' : 'field'}, defineRule } from 'siemc';
export const bad = defineRule({
  id: '20000000-0000-4000-8000-000000000001', name: 'bad', description: 'd', author: ['t'], license: 'Apache-2.0',
  severity: 'low', riskScore: 1, schedule: { interval: '5m', from: 'now-6m' }, maxSignals: 1, index: ['logs-*'],
  tags: [], mitre: [], references: [], falsePositives: [], version: 1,
  query: ${query},
  tests: [{ name: 'x', expect: 'no match', event: {} }],
});
`;

describe('hostile values in rules', () => {
  let ws: string;
  let out: string;
  beforeAll(() => {
    ws = workspace();
    writeRules(ws, { 'good.ts': ruleModule(1, 'v1') });
    out = join(ws, 'out');
    expect(siemc(['build', '--rules', join(ws, 'rules'), '--out', out]).status).toBe(0);
  });

  it.each([
    ["customField('')", "customField('', 'keyword').equals('x')", /bad\.ts:6:\d+: error SIEMC-R018: /],
    ["customField('a|b')", "customField('a|b', 'keyword').equals('x')", /bad\.ts:6:\d+: error SIEMC-R018: /],
    ['a NUL in a value', "field('process.name').equals('a\\u0000b')", /bad\.ts:6:\d+: error SIEMC-R017: .*NUL/],
    ['a list with a NUL', "field('process.name').in(['ok', 'a\\u0000'])", /bad\.ts:6:\d+: error SIEMC-R017: /],
  ])('%s', (_what, query, message) => {
    writeRules(ws, { 'bad.ts': bad(query) });
    const before = tree(out);
    const r = siemc(['build', '--rules', join(ws, 'rules'), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing written/);
    expect(tree(out)).toEqual(before);
  });
});
