/** siemc init: a team's rules repository, never overwriting, and CI workflows that actionlint accepts. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { tree, workspace } from '../support/workspace.js';

/** actionlint: on PATH, or where `go install` puts it. */
function actionlint(): string | undefined {
  const home = process.env.HOME ?? '/root';
  for (const candidate of ['actionlint', `${process.env.GOPATH ?? `${home}/go`}/bin/actionlint`]) {
    if (spawnSync(candidate, ['-version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  if (process.env.CI === 'true') throw new Error('actionlint not found; .ci/run installs it with go install');
  console.log('skipped: actionlint not found (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7)');
  return undefined;
}

describe('siemc init', () => {
  const dir = join(workspace(), 'team-rules');
  const first = siemc(['init', dir]);

  it('writes the scaffold', () => {
    expect(first.status, first.stderr).toBe(0);
    for (const f of ['package.json', 'tsconfig.json', 'siemc.config.json', '.gitignore', 'README.md', '.github/workflows/siemc.yml', '.github/workflows/siemc-comment.yml', 'rules/example/suspicious-tool-download.ts', 'rules/lists/suspicious-tools.ts'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.devDependencies.siemc).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(pkg.scripts).toMatchObject({ build: 'siemc build', check: 'siemc check', test: 'siemc test' });
  });

  it('a second run changes nothing, and an edited file is kept', () => {
    writeFileSync(join(dir, 'README.md'), 'our own readme\n');
    const before = tree(dir);
    const again = siemc(['init', dir]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already set up; nothing written');
    expect(tree(dir)).toEqual(before);
  });

  it('the rule-loading job has a read-only token and no pull_request_target; only the comment job may write', () => {
    const check = readFileSync(join(dir, '.github/workflows/siemc.yml'), 'utf8');
    const comment = readFileSync(join(dir, '.github/workflows/siemc-comment.yml'), 'utf8');
    expect(check).not.toContain('pull_request_target');
    expect(check).toMatch(/^permissions:\n {2}contents: read$/m);
    expect(check).not.toMatch(/: *write\b/);
    expect(check).not.toContain('${{ secrets.');
    expect(check).toContain('persist-credentials: false');
    expect(comment).not.toMatch(/actions\/checkout|npm |npx /);
    expect(comment).toContain('pull-requests: write');
  });

  const lint = actionlint();
  it.skipIf(lint === undefined)('the workflows pass actionlint', () => {
    const r = spawnSync(lint as string, ['-no-color', '.github/workflows/siemc.yml', '.github/workflows/siemc-comment.yml'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
