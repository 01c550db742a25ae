import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseEql } from '../src/frontends/eql/parse.js';
import { packageRules } from '../src/publish/package.js';
import { confStanza, confValue, cronFor, splunkTime } from '../src/publish/templates.js';
import { loadConfig } from '../src/config.js';
import { projectRules, REPO_DIR } from './support/rules.js';
import { adversarialString } from './support/arbitraries.js';

/** How Splunk reads a .conf value: a line ending in a backslash continues on the next line. */
function readConfValue(text: string): string {
  return text
    .split('\n')
    .map((line, i, all) => (i < all.length - 1 ? line.replace(/\\$/, '') : line))
    .join('\n');
}

describe('savedsearches.conf escaping', () => {
  it('a multi-line value reads back as written (a line ending in a backslash gains one space, hidden characters show as <U+XXXX>)', () => {
    const lines = fc.array(adversarialString.map((s) => s.replace(/[\r\n]/g, '')), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(lines, (ls) => {
        const value = ls.join('\n').replace(/\n+$/, '');
        // A .conf value has no escapes: a NUL or a bidi control would go in raw, so it is shown instead.
        const shown = value.replace(/(?![\t\n])\p{Cc}|[\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]|\p{Surrogate}/gu, (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
        const expected = shown.split('\n').map((l) => (l.endsWith('\\') ? `${l} ` : l)).join('\n');
        const written = confValue(value);
        expect(written).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/);
        expect(readConfValue(written)).toBe(expected);
      }),
      { numRuns: 10_000 },
    );
  });

  it('stanza names cannot close the header or break the line', () => {
    fc.assert(
      fc.property(adversarialString, (s) => {
        expect(confStanza(s)).not.toMatch(/[[\]\r\n]/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('schedules', () => {
    expect(cronFor('5m')).toBe('*/5 * * * *');
    expect(cronFor('1h')).toBe('0 */1 * * *');
    expect(splunkTime('now-9m')).toBe('-9m');
  });
});

describe('siemc package', async () => {
  const rules = await projectRules();
  const { files } = packageRules(rules, { config: loadConfig(`${REPO_DIR}siemc.config.json`) });

  it('writes a Kibana rule per rule whose EQL is the snapshot and whose metadata is the rule', () => {
    for (const r of rules) {
      const k = JSON.parse(files.get(`kibana/${r.id}.json`) ?? '{}') as Record<string, unknown>;
      const eql = readFileSync(`${REPO_DIR}snapshots/${r.id}/eql.eql`, 'utf8');
      expect(k.query).toBe(eql.trimEnd());
      expect(() => parseEql(k.query as string)).not.toThrow();
      expect(k).toMatchObject({ rule_id: r.id, type: 'eql', severity: r.severity, risk_score: r.riskScore, interval: r.schedule?.interval, from: r.schedule?.from, version: r.version });
    }
    const ref = JSON.parse(files.get('kibana/66883649-f908-4a5b-a1e0-54090a1d3a32.json') ?? '{}') as { threat: { tactic: { id: string }; technique: { id: string; subtechnique?: { id: string }[] }[] }[]; note: string };
    expect(ref.threat.map((t) => t.tactic.id)).toEqual(['TA0011', 'TA0010']);
    expect(ref.threat.flatMap((t) => t.technique.flatMap((x) => [x.id, ...(x.subtechnique ?? []).map((s) => s.id)]))).toEqual(['T1102', 'T1568', 'T1568.002', 'T1567', 'T1567.001', 'T1567.002']);
    expect(ref.note).toContain('!{osquery{');
    expect(files.get('kibana/rules.ndjson')?.trim().split('\n')).toHaveLength(rules.length);
  });

  it('writes a savedsearches.conf whose search is the SPL snapshot', () => {
    const conf = files.get('splunk/siemc_detections/default/savedsearches.conf') ?? '';
    for (const r of rules) {
      const spl = readFileSync(`${REPO_DIR}snapshots/${r.id}/spl.spl`, 'utf8').trimEnd();
      expect(conf).toContain(`[${r.name}]`);
      const stanza = conf.slice(conf.indexOf(`[${r.name}]`));
      const search = readConfValue(stanza.slice(stanza.indexOf('search = ') + 9, stanza.indexOf('\nenableSched')));
      expect(search).toBe(spl);
    }
    expect(conf).toContain('cron_schedule = */5 * * * *');
    expect(conf).toContain('dispatch.earliest_time = -9m');
  });
});
