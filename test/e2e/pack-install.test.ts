/**
 * siemc as a team installs it: `npm pack`, a fresh repository outside this source tree that
 * has only the tarball (and what npm installs for it), `siemc init`, then build, check and test
 * there with the example rule and a copy of the reference rule.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd: string, args: readonly string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the packed siemc in a fresh repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'siemc-e2e-'));
  const team = join(root, 'team-rules');
  let tarball = '';

  beforeAll(() => {
    const pack = run(npm, ['pack', '--pack-destination', root], REPO_DIR);
    expect(pack.status, pack.out).toBe(0);
    tarball = join(root, readdirSync(root).find((f) => f.endsWith('.tgz')) as string);
    const init = run(npm, ['exec', '--yes', `--package=${tarball}`, '--', 'siemc', 'init', team], root);
    expect(init.status, init.out).toBe(0);
    const install = run(npm, ['install', '--save-dev', tarball], team);
    expect(install.status, install.out).toBe(0);
    cpSync(`${REPO_DIR}rules/windows`, join(team, 'rules/windows'), { recursive: true });
    for (const f of readdirSync(`${REPO_DIR}rules/lists`)) cpSync(`${REPO_DIR}rules/lists/${f}`, join(team, 'rules/lists', f));
  }, 600_000);

  it('has no way back into the source tree: siemc resolves to the installed package', () => {
    const resolved = run(process.execPath, ['-e', "import('siemc').then(() => console.log(import.meta.resolve('siemc')))", '--input-type=module'], team);
    expect(resolved.out).toContain(join(team, 'node_modules/siemc/dist/index.js'));
    expect(resolved.out).not.toContain(REPO_DIR);
  });

  it('builds the example rule and the reference rule (type check through the package types), and check passes', () => {
    const build = run(npm, ['run', '-s', 'build'], team);
    expect(build.status, build.out).toBe(0);
    expect(build.out).toMatch(/2 rule\(s\) x 5 target\(s\) -> snapshots\/: 10 written/);
    expect(existsSync(join(team, 'snapshots', REFERENCE_RULE_ID, 'eql.eql'))).toBe(true);
    expect(readFileSync(join(team, 'snapshots', REFERENCE_RULE_ID, 'eql.eql'), 'utf8')).toBe(readFileSync(`${REPO_DIR}snapshots/${REFERENCE_RULE_ID}/eql.eql`, 'utf8'));
    const check = run(npm, ['run', '-s', 'check'], team);
    expect(check.status, check.out).toBe(0);
    const test = run(npm, ['test'], team);
    expect(test.status, test.out).toBe(0);
    expect(test.out).toMatch(/2 rule\(s\), 53 test event\(s\)/);
  });

  it('a type error in a rule is found there too, at its line', () => {
    const bad = join(team, 'rules/example/suspicious-tool-download.ts');
    const text = readFileSync(bad, 'utf8');
    try {
      writeFileSync(bad, text.replace("field('file.name')", "field('file.nam')"));
      const build = run(npm, ['run', '-s', 'build'], team);
      expect(build.status).toBe(1);
      expect(build.out).toMatch(/suspicious-tool-download\.ts:\d+:\d+: error SIEMC-TS2345: .*file\.nam/);
    } finally {
      writeFileSync(bad, text);
    }
  });

  it('siemc diff there: a domain added to the shared list is reported broader', () => {
    for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'rules']]) expect(run('git', args, team).status).toBe(0);
    const list = join(team, 'rules/lists/abused-web-services.ts');
    const text = readFileSync(list, 'utf8');
    writeFileSync(list, text.replace("'pastebin.*',", "'pastebin.*',\n  'evil-paste.example',"));
    try {
      const diff = run(npm, ['exec', '--', 'siemc', 'diff', '--base', 'HEAD', '--format', 'text'], team);
      expect(diff.status, diff.out).toBe(0);
      expect(diff.out).toMatch(/broader/);
      expect(diff.out).toContain('evil-paste.example');
    } finally {
      writeFileSync(list, text);
    }
  });
});
