/**
 * A Splunk app (`siemc_detections/`, and the same as `siemc_detections.tgz` for Splunk's app
 * installer or Splunk Cloud's): app.conf, metadata/default.meta and savedsearches.conf with one
 * scheduled alert per rule, set up as an Enterprise Security correlation search. Splunk AppInspect
 * passes it (test/publish/splunk.test.ts runs it).
 */
import { spl } from '../../backends/spl/index.js';
import type { Publisher } from '../publisher.js';
import { reportPlainSearch, runtime } from '../rule-values.js';
import { renderTemplate } from '../templates.js';
import { correlationSearch } from './enterprise-security.js';
import { tgz } from './tgz.js';

export const SPLUNK_APP_ID = 'siemc_detections';

/** Splunk wants a semantic version; the lock's package version counts the app's changes. */
export const appVersion = (packageVersion: number): string => `1.0.${packageVersion}`;

export const splunkPublisher: Publisher = {
  name: 'splunk',
  title: 'Splunk app (savedsearches.conf with Enterprise Security correlation searches), folder and .tgz',
  versionedPackage: true,
  backendsFor: () => [spl],
  render(rules, context) {
    const seen = new Map<string, string>();
    for (const { rule } of rules) {
      // Stanzas are named by the rule name; Splunk would merge two stanzas of one name into one search.
      const other = seen.get(rule.name);
      if (other !== undefined)
        context.report({ code: 'SIEMC-P002', severity: 'error', rule: rule.id, message: `rule name "${rule.name}" is also rule ${other}'s; Splunk names saved searches by name, so rename one` });
      seen.set(rule.name, rule.id);
      reportPlainSearch(rule, 'Splunk', (d) => context.report(d));
    }
    const app = `${SPLUNK_APP_ID}/`;
    const version = appVersion(context.packageVersion);
    return new Map([
      [`${app}default/app.conf`, renderTemplate('splunk/app.conf.hbs', { appId: SPLUNK_APP_ID, version, build: context.packageVersion, label: 'siemc detections', description: 'Detection rules compiled by siemc.' })],
      [`${app}metadata/default.meta`, renderTemplate('splunk/default.meta.hbs', {})],
      [
        `${app}default/savedsearches.conf`,
        renderTemplate('splunk/savedsearches.conf.hbs', {
          enabled: context.config.publish?.enabled ?? false,
          rules: rules.map((r) => ({ ...r.rule, ...runtime(r.rule), search: r.query(spl), es: correlationSearch(r.rule, r.version) })),
        }),
      ],
    ]);
  },
  archives(files, rules) {
    // The archive's one modification time: the day the newest rule last changed (stable across runs).
    const newest = rules.map((r) => r.rule.updated ?? r.rule.created ?? '2000-01-01').reduce((a, b) => (a > b ? a : b), '2000-01-01');
    return new Map([[`${SPLUNK_APP_ID}.tgz`, tgz(files, Date.parse(`${newest}T00:00:00Z`) / 1000)]]);
  },
};
