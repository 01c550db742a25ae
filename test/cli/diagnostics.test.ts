/** Diagnostics a team can live with: one line per rule and target, details on demand, accepted approximations. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';
import { workspace } from '../support/workspace.js';

describe('approximation warnings', () => {
  it('print one line per rule and target, with counts by code', () => {
    const r = siemc(['build', '--out', join(workspace(), 'out')]);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes(': warning rule '));
    expect(warnings).toHaveLength(2); // kql, and sigma's one per-rule note
    expect(warnings[0]).toMatch(new RegExp(`warning rule ${REFERENCE_RULE_ID}, target kql: 26 approximations \\(SIEMC-A101 x22, SIEMC-A102 x2, SIEMC-A103 x2\\); --verbose for details, siemc explain SIEMC-A101`));
  });

  it('--verbose prints every one in full', () => {
    const r = siemc(['build', '--verbose', '--out', join(workspace(), 'out')]);
    expect(r.stderr.split('\n').filter((l) => / warning SIEMC-A\d+: /.test(l))).toHaveLength(27);
  });

  it('siemc.config.json accepts an approximation per code and target, with a reason, so --strict passes', () => {
    const ws = workspace();
    const config = JSON.parse(readFileSync(`${REPO_DIR}siemc.config.json`, 'utf8')) as Record<string, unknown>;
    const accept = ['SIEMC-A101', 'SIEMC-A102', 'SIEMC-A103'].map((code) => ({ code, target: 'kql', reason: 'reviewed: KQL cannot say it' }));
    writeFileSync(join(ws, 'siemc.config.json'), JSON.stringify({ ...config, accept }));
    const strict = siemc(['build', '--strict', '--target', 'kql', '--rules', `${REPO_DIR}rules`, '--out', join(ws, 'out')], ws);
    expect(strict.status, strict.stderr).toBe(0);
    expect(strict.stderr).toContain('26 accepted approximation(s) not shown');
    // Accepting one code for another target does not cover kql.
    writeFileSync(join(ws, 'siemc.config.json'), JSON.stringify({ ...config, accept: [{ code: 'SIEMC-A101', target: 'spl', reason: 'x' }] }));
    const still = siemc(['build', '--strict', '--target', 'kql', '--rules', `${REPO_DIR}rules`, '--out', join(ws, 'out')], ws);
    expect(still.status).toBe(1);
    expect(still.stderr).toMatch(/error SIEMC-A101/);
  });

  it('an accept entry without a reason is refused in one sentence', () => {
    const ws = workspace();
    writeFileSync(join(ws, 'siemc.config.json'), JSON.stringify({ accept: [{ code: 'SIEMC-A101' }] }));
    const r = siemc(['build', '--rules', `${REPO_DIR}rules`, '--out', join(ws, 'out')], ws);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^siemc: siemc\.config\.json: accept\.0 must have required property 'reason'/);
  });

  it('siemc explain says what a code means', () => {
    const r = siemc(['explain', 'A101']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SIEMC-A101: KQL: no case-insensitive matching\n\n/);
    expect(siemc(['explain', 'SIEMC-Z999']).status).toBe(1);
  });
});
