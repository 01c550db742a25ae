/**
 * The Splunk app: savedsearches.conf read back as Splunk reads it, the .tgz holding exactly the
 * folder's files and the same bytes every time, and Splunk AppInspect (precert mode) finding no
 * failure and no error in either. AppInspect comes from scripts/appinspect/setup.sh
 * (.venv/appinspect); without it the AppInspect test skips with one line, except in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/dsl/rule.js';
import { publishRules } from '../../src/publish/publish.js';
import { tgz } from '../../src/publish/splunk/tgz.js';
import { loadConfig } from '../../src/config.js';
import { parseConf } from '../support/splunk-conf.js';
import { IN_CI } from '../support/pysigma.js';
import { REFERENCE_RULE_ID, REPO_DIR, referenceRule } from '../support/rules.js';
import { tree } from '../support/workspace.js';

const APP = 'splunk/siemc_detections';
const APPINSPECT = `${REPO_DIR}.venv/appinspect/bin/splunk-appinspect`;
const missing = existsSync(APPINSPECT) ? undefined : 'no .venv/appinspect';
if (missing !== undefined && !IN_CI) console.log(`AppInspect test skipped: ${missing} (run scripts/appinspect/setup.sh)`);

function tmp(): string {
  mkdirSync(`${REPO_DIR}.cache`, { recursive: true });
  return mkdtempSync(join(`${REPO_DIR}.cache`, 'splunk-'));
}

/** Writes the published Splunk files (text and archives) under a fresh folder. */
function materialise(files: ReadonlyMap<string, string>, archives: ReadonlyMap<string, Uint8Array>): string {
  const dir = tmp();
  for (const [path, content] of [...files, ...archives]) {
    if (!path.startsWith('splunk/')) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('Splunk app', async () => {
  const reference = await referenceRule();
  const config = loadConfig(`${REPO_DIR}siemc.config.json`);
  const { files, archives } = publishRules([reference], { config });
  const conf = parseConf(files.get(`${APP}/default/savedsearches.conf`) ?? '');
  const search = conf.get(reference.name);

  it('schedules the search from the rule: cron from the interval, the window from the look-back', () => {
    const spl = readFileSync(`${REPO_DIR}snapshots/${REFERENCE_RULE_ID}/spl.spl`, 'utf8').trimEnd();
    expect(search?.get('search')).toBe(spl);
    expect(search?.get('cron_schedule')).toBe('*/5 * * * *');
    expect(search?.get('dispatch.earliest_time')).toBe('-9m');
    expect(search?.get('dispatch.latest_time')).toBe('now');
    expect(search?.get('enableSched')).toBe('1');
    // Disabled, as the Kibana rule is, until the project sets publish.enabled.
    expect(search?.get('disabled')).toBe('1');
    expect(search?.get('counttype')).toBe('number of events');
    expect(search?.get('relation')).toBe('greater than');
    expect(search?.get('quantity')).toBe('0');
  });

  it('is an Enterprise Security correlation search with ATT&CK annotations, a notable and risk', () => {
    expect(search?.get('action.correlationsearch.enabled')).toBe('1');
    expect(search?.get('action.correlationsearch.label')).toBe(reference.name);
    expect(JSON.parse(search?.get('action.correlationsearch.annotations') ?? '')).toEqual({ mitre_attack: ['T1102', 'T1568', 'T1568.002', 'T1567', 'T1567.001', 'T1567.002'] });
    expect(JSON.parse(search?.get('action.correlationsearch.metadata') ?? '')).toEqual({ detection_id: REFERENCE_RULE_ID, detection_version: '113', deprecated: '0' });
    expect(search?.get('action.notable')).toBe('1');
    expect(search?.get('action.notable.param.severity')).toBe('low');
    expect(search?.get('action.notable.param.security_domain')).toBe('endpoint');
    expect(search?.get('action.risk')).toBe('1');
    const risk = JSON.parse(search?.get('action.risk.param._risk') ?? '') as Record<string, unknown>[];
    expect(risk.filter((r) => 'risk_object_field' in r)).toEqual([
      { risk_object_field: 'host.name', risk_object_type: 'system', risk_score: 21 },
      { risk_object_field: 'user.name', risk_object_type: 'user', risk_score: 21 },
    ]);
    expect(risk).toContainEqual({ threat_object_field: 'dns.question.name', threat_object_type: 'domain' });
  });

  it('has app.conf and default.meta as Splunk installs them', () => {
    const app = parseConf(files.get(`${APP}/default/app.conf`) ?? '');
    expect(app.get('id')?.get('name')).toBe('siemc_detections');
    expect(app.get('id')?.get('version')).toBe('1.0.1');
    expect(app.get('launcher')?.get('version')).toBe('1.0.1');
    expect(app.get('package')?.get('id')).toBe('siemc_detections');
    expect(parseConf(files.get(`${APP}/metadata/default.meta`) ?? '').get('')?.get('export')).toBe('system');
  });

  it('enabled follows the project setting', () => {
    const on = publishRules([reference], { config: { ...config, publish: { enabled: true } } });
    expect(parseConf(on.files.get(`${APP}/default/savedsearches.conf`) ?? '').get(reference.name)?.get('disabled')).toBe('0');
  });

  it('two rules of one name are an error (Splunk would merge their stanzas)', () => {
    const twin: Rule = { ...reference, id: '00000000-0000-4000-8000-000000000001' };
    expect(publishRules([reference, twin], { config }).diagnostics.filter((d) => d.code === 'SIEMC-P002')).toHaveLength(1);
  });

  it('the .tgz holds the folder, byte-identical run after run, owned by root with fixed times', () => {
    const again = publishRules([reference], { config }).archives.get('splunk/siemc_detections.tgz');
    const bytes = archives.get('splunk/siemc_detections.tgz');
    expect(bytes).toBeDefined();
    expect(Buffer.from(again ?? []).equals(Buffer.from(bytes ?? []))).toBe(true);
    const dir = materialise(files, archives);
    const out = join(dir, 'x');
    mkdirSync(out);
    const list = spawnSync('tar', ['tzvf', join(dir, 'splunk/siemc_detections.tgz')], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    for (const line of list.stdout.trim().split('\n')) expect(line).toMatch(/^(drwxr-xr-x|-rw-r--r--) 0\/0 +\d+ 2020-11-04 00:00 siemc_detections\//);
    expect(spawnSync('tar', ['xzf', join(dir, 'splunk/siemc_detections.tgz'), '-C', out]).status).toBe(0);
    const folder = tree(join(dir, 'splunk'));
    folder.delete('siemc_detections.tgz');
    expect(tree(out)).toEqual(folder);
  });

  it('the tar writer splits long paths at a slash, as ustar does', () => {
    const dir = tmp();
    const long = `${'a'.repeat(90)}/${'b'.repeat(90)}/c.txt`;
    writeFileSync(join(dir, 'long.tgz'), tgz(new Map([[long, 'x\n']]), 0));
    const r = spawnSync('tar', ['tzf', join(dir, 'long.tgz')], { encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toContain(long);
  });

  it.skipIf(missing !== undefined && !IN_CI)('passes Splunk AppInspect (precert): no failures, no errors, as a folder and as a .tgz', () => {
    const dir = materialise(files, archives);
    for (const target of ['splunk/siemc_detections', 'splunk/siemc_detections.tgz']) {
      const report = join(dir, `${target.replace(/\W/g, '_')}.json`);
      const run = spawnSync(APPINSPECT, ['inspect', join(dir, target), '--mode', 'precert', '--data-format', 'json', '--output-file', report], { encoding: 'utf8', timeout: 300_000 });
      expect(existsSync(report), `${run.stdout}\n${run.stderr}`).toBe(true);
      const result = JSON.parse(readFileSync(report, 'utf8')) as {
        summary: Record<string, number>;
        reports: { groups: { checks: { name: string; result: string; messages: { message: string }[] }[] }[] }[];
      };
      const bad = result.reports.flatMap((r) => r.groups.flatMap((g) => g.checks.filter((c) => c.result === 'failure' || c.result === 'error').map((c) => `${c.name}: ${c.messages.map((m) => m.message).join(' ')}`)));
      expect(bad, target).toEqual([]);
      expect(result.summary.failure).toBe(0);
      expect(result.summary.error).toBe(0);
      expect(result.summary.success).toBeGreaterThan(50);
    }
  }, 600_000);
});
