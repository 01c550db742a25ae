/**
 * `siemc publish` end to end, in a throw-away project holding the repository's rules and one
 * more: every format written, two runs byte-identical, one added domain bumps one rule by one,
 * and `siemc check` fails on the stale lock with the command that fixes it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';
import { ruleId, ruleModule, tree, workspace } from '../support/workspace.js';

const LIST = 'rules/lists/abused-web-services.ts';

describe('siemc publish', () => {
  const ws = workspace();
  const out = join(ws, 'dist');
  const lockFile = join(ws, 'siemc.lock.json');
  const lock = (): { rules: Record<string, { version: number }>; changes: { changed: { id: string; from: number; to: number }[] } } => JSON.parse(readFileSync(lockFile, 'utf8'));
  let first = new Map<string, string>();

  beforeAll(() => {
    cpSync(`${REPO_DIR}rules`, join(ws, 'rules'), { recursive: true });
    cpSync(`${REPO_DIR}siemc.config.json`, join(ws, 'siemc.config.json'));
    writeFileSync(join(ws, 'rules', 'extra.ts'), ruleModule(1, 'x'));
    const r = siemc(['publish', '--out', 'dist'], ws);
    expect(r.status, r.stderr).toBe(0);
    first = tree(out);
  }, 120_000);

  it('writes every format, a manifest and a changelog', () => {
    const paths = [...first.keys()].sort();
    expect(paths).toEqual(
      expect.arrayContaining([
        'CHANGELOG.md',
        'manifest.json',
        'kibana/rules.ndjson',
        `kibana/${REFERENCE_RULE_ID}.json`,
        'detection-rules/rules/windows/command_and_control_connection_to_commonly_abused_web_services.toml',
        'splunk/siemc_detections/default/app.conf',
        'splunk/siemc_detections/default/savedsearches.conf',
        'splunk/siemc_detections/metadata/default.meta',
        'splunk/siemc_detections.tgz',
        'sigma/dns_query_win_connection_to_commonly_abused_web_services.yml',
        'sigma/elastic_rule_0.yml',
      ]),
    );
    expect(() => parse(first.get('detection-rules/rules/cross-platform/rule_0.toml') ?? '')).not.toThrow();
    const manifest = JSON.parse(first.get('manifest.json') ?? '') as { siemc: string; rules: { id: string; version: number }[]; targets: Record<string, { files: string[] }> };
    expect(manifest.siemc).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.rules.map((r) => [r.id, r.version])).toEqual([[ruleId(0), 1], [REFERENCE_RULE_ID, 113]]);
    expect(Object.keys(manifest.targets)).toEqual(['detection-rules', 'kibana', 'sigma', 'splunk']);
    expect(manifest.targets.splunk?.files).toContain('splunk/siemc_detections.tgz');
    expect(first.get('CHANGELOG.md')).toContain(`Connection to Commonly Abused Web Services (\`${REFERENCE_RULE_ID}\`), version 113`);
  });

  it('a second run writes the same bytes and bumps nothing', () => {
    const before = readFileSync(lockFile, 'utf8');
    const again = join(ws, 'again');
    const r = siemc(['package', '--out', 'again'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(tree(again)).toEqual(first);
    expect(readFileSync(lockFile, 'utf8')).toBe(before);
    expect(siemc(['check', '--out', 'dist-snapshots'], ws).stdout).not.toContain('siemc.lock.json');
  }, 120_000);

  it('one more domain: check fails on the stale lock, publish bumps that rule by one and no other', () => {
    const list = join(ws, LIST);
    writeFileSync(list, readFileSync(list, 'utf8').replace("'pastebin.*',", "'pastebin.*',\n  'paste.example.org',"));
    expect(readFileSync(list, 'utf8')).toContain('paste.example.org');
    expect(siemc(['build', '--out', 'snaps'], ws).status).toBe(0);
    const check = siemc(['check', '--out', 'snaps'], ws);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`siemc.lock.json: rule ${REFERENCE_RULE_ID} (Connection to Commonly Abused Web Services) changed its published content; its version becomes 114`);
    expect(check.stdout).toContain('siemc: siemc.lock.json is stale; run siemc publish and commit siemc.lock.json.');
    expect(check.stdout).not.toContain(ruleId(0));

    const r = siemc(['publish', '--out', 'dist'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(lock().rules[REFERENCE_RULE_ID]?.version).toBe(114);
    expect(lock().rules[ruleId(0)]?.version).toBe(1);
    expect(lock().changes.changed).toEqual([expect.objectContaining({ id: REFERENCE_RULE_ID, from: 113, to: 114 })]);
    const after = tree(out);
    expect(after.get('kibana/rules.ndjson')).toContain('"version":114');
    expect(after.get('kibana/rules.ndjson')).toContain('paste.example.org');
    expect(after.get(`kibana/${ruleId(0)}.json`)).toBe(first.get(`kibana/${ruleId(0)}.json`));
    expect(after.get('sigma/elastic_rule_0.yml')).toBe(first.get('sigma/elastic_rule_0.yml'));
    expect(after.get('CHANGELOG.md')).toContain('version 113 -> 114');
    expect(siemc(['check', '--out', 'snaps'], ws).status).toBe(0);
  }, 240_000);
});
