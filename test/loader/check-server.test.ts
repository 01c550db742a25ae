import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectOf } from '../../src/cache/project.js';
import { checkServerStatus, checkServerWanted, stopCheckServer, type CheckServerStatus } from '../../src/loader/check-client.js';
import { siemc } from '../support/cli.js';
import { ruleModule, workspace, writeRules } from '../support/workspace.js';

const ON = { SIEMC_CHECK_SERVER: 'on' };
const OFF = { SIEMC_CHECK_SERVER: 'off' };

/** The server's status once it says it has warmed up (it waits for the build that started it to exit). */
async function warmServer(rules: string, stateDir: string): Promise<CheckServerStatus> {
  for (let i = 0; i < 600; i++) {
    const status = await checkServerStatus(rules, stateDir);
    if (status?.warm === true) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the type-check server did not warm up within 60 s');
}

const started: [string, string][] = [];
afterEach(async () => {
  for (const [rules, stateDir] of started.splice(0)) await stopCheckServer(rules, stateDir);
});

describe('type-check server', () => {
  it('checks the builds after the one that started it, saying what a build checking alone says', async () => {
    const dir = workspace();
    const rules = writeRules(dir, { 'a.ts': ruleModule(2, 'a'), 'b.ts': ruleModule(2, 'b', 2) });
    const stateDir = projectOf(rules).rulesCacheDir;
    started.push([rules, stateDir]);
    const build = (env: Record<string, string>) => siemc(['build', '--rules', rules, '--out', join(dir, 'out')], dir, env);

    expect(build(ON).status).toBe(0);
    expect((await warmServer(rules, stateDir)).served).toBe(0);

    // A misspelt field: the served build fails with the type error at its line.
    const a = join(rules, 'a.ts');
    writeFileSync(a, readFileSync(a, 'utf8').replace("field('process.name')", "field('process.nam')"));
    const served = build(ON);
    expect(served.status).toBe(1);
    expect(served.stderr).toContain('a.ts:5:');
    expect(served.stderr).toContain('SIEMC-TS2345');
    expect((await checkServerStatus(rules, stateDir))?.served).toBe(1);

    // The same files checked from nothing, in the build's own worker: the same words.
    rmSync(stateDir, { recursive: true, force: true });
    const alone = build(OFF);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toBe(served.stderr);

    // Fixed: the served build passes.
    writeFileSync(a, ruleModule(2, 'a'));
    expect(build(ON).status).toBe(0);
    expect((await checkServerStatus(rules, stateDir))?.served).toBe(2);

    expect(await stopCheckServer(rules, stateDir)).toBe(true);
    expect(await checkServerStatus(rules, stateDir)).toBeUndefined();
  });

  it('a server that died leaves builds working, and the next one takes its place', async () => {
    const dir = workspace();
    const rules = writeRules(dir, { 'a.ts': ruleModule(2, 'a') });
    const stateDir = projectOf(rules).rulesCacheDir;
    started.push([rules, stateDir]);
    const build = () => siemc(['build', '--rules', rules, '--out', join(dir, 'out')], dir, ON);
    expect(build().status).toBe(0);
    const first = await warmServer(rules, stateDir);
    process.kill(first.pid, 'SIGKILL'); // its socket file stays behind
    await new Promise((r) => setTimeout(r, 200));

    writeFileSync(join(rules, 'a.ts'), ruleModule(2, 'c'));
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    const second = await warmServer(rules, stateDir);
    expect(second.pid).not.toBe(first.pid);
    expect(second.served).toBe(0);
  });

  it('is on by default, off under CI, and SIEMC_CHECK_SERVER decides over both', () => {
    expect(checkServerWanted({})).toBe(true);
    expect(checkServerWanted({ CI: 'true' })).toBe(false);
    expect(checkServerWanted({ CI: '1' })).toBe(false);
    expect(checkServerWanted({ CI: 'false' })).toBe(true);
    expect(checkServerWanted({ CI: 'true', SIEMC_CHECK_SERVER: 'on' })).toBe(true);
    expect(checkServerWanted({ SIEMC_CHECK_SERVER: 'off' })).toBe(false);
    expect(checkServerWanted({ SIEMC_CHECK_SERVER: '0' })).toBe(false);
  });
});
