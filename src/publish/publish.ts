/**
 * Publishing: compiles what every format needs, hashes each rule's published content per target
 * (the rule rendered alone, under version 0, so neither its own version nor other rules enter
 * the hash), derives versions from the previous lock, renders the packages and describes the run
 * in a manifest and a changelog.
 *
 * The lock always covers every target, whichever targets are written: a rule's version is one
 * number for all SIEMs.
 */
import type { Backend } from '../backends/backend.js';
import { compileRules } from '../compile.js';
import type { ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { stableJson } from '../util/stable-json.js';
import { contentHash, EMPTY_LOCK, nextChanges, nextPackage, nextRules, type Changes, type Lock } from './lock.js';
import type { PublishContext, PublishedRule, Publisher } from './publisher.js';
import { publishers as allPublishers } from './registry.js';

export interface PublishOptions {
  readonly config: ProjectConfig;
  /** Approximations become errors. */
  readonly strict?: boolean;
  /** The lock before this run; none means every rule is new. */
  readonly lock?: Lock;
  /** The formats to write (default: all). The lock covers all of them regardless. */
  readonly targets?: readonly Publisher[];
  /** Recorded in the manifest. */
  readonly siemcVersion?: string;
}

export interface PublishResult {
  /** Text files by path under the output folder: `<target>/...`, manifest.json, CHANGELOG.md. */
  readonly files: ReadonlyMap<string, string>;
  /** Binary files (the Splunk app's .tgz) by path under the output folder. */
  readonly archives: ReadonlyMap<string, Uint8Array>;
  readonly lock: Lock;
  readonly diagnostics: readonly Diagnostic[];
}

export const MANIFEST = 'manifest.json';
export const CHANGELOG = 'CHANGELOG.md';

/** Compiles each (rule, backend, settings) once, whichever formats share it. */
function compiler(options: PublishOptions): { query(rule: Rule, backend: Backend, config: ProjectConfig): string; diagnostics(rule: Rule, backend: Backend, config: ProjectConfig): readonly Diagnostic[] } {
  const cache = new Map<string, { text: string; diagnostics: readonly Diagnostic[] }>();
  const get = (rule: Rule, backend: Backend, config: ProjectConfig) => {
    const key = JSON.stringify([rule.id, backend.name, config]);
    let hit = cache.get(key);
    if (hit === undefined) {
      const { outputs, diagnostics } = compileRules([rule], [backend], { config, ...(options.strict === undefined ? {} : { strict: options.strict }) });
      hit = { text: outputs[0]?.text ?? '', diagnostics };
      cache.set(key, hit);
    }
    return hit;
  };
  return { query: (r, b, c) => get(r, b, c).text, diagnostics: (r, b, c) => get(r, b, c).diagnostics };
}

export function publishRules(rules: readonly Rule[], options: PublishOptions): PublishResult {
  const previous = options.lock ?? EMPTY_LOCK;
  const writing = new Set((options.targets ?? allPublishers).map((p) => p.name));
  const compile = compiler(options);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: Diagnostic): void => {
    const key = JSON.stringify(d);
    if (!seen.has(key)) diagnostics.push(d);
    seen.add(key);
  };
  const report = (target: string) => (d: Omit<Diagnostic, 'target'>): void => {
    if (writing.has(target)) add({ ...d, target });
  };
  const published = (publisher: Publisher, rule: Rule, version: number): PublishedRule => {
    const config = publisher.compileConfig?.(options.config) ?? options.config;
    return { rule, version, query: (backend) => compile.query(rule, backend, config) };
  };
  const context = (publisher: Publisher, packageVersion: number, quiet = false): PublishContext => ({
    config: options.config,
    packageVersion,
    report: quiet ? () => undefined : report(publisher.name),
  });

  // Content hashes, per rule and target, of the rule published alone under version 0.
  const ruleStates = rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    ownVersion: rule.version,
    hashes: Object.fromEntries(allPublishers.map((p) => [p.name, contentHash(p.render([published(p, rule, 0)], context(p, 0, true)))])),
  }));
  const lockedRules = nextRules(previous, ruleStates);
  const versionOf = (rule: Rule): number => lockedRules[rule.id]?.version ?? rule.version;

  const files = new Map<string, string>();
  const archives = new Map<string, Uint8Array>();
  const packages: { [target: string]: { version: number; hash: string } } = {};
  const targetFiles: { [target: string]: string[] } = {};
  for (const publisher of allPublishers) {
    const list = rules.map((r) => published(publisher, r, versionOf(r)));
    let packageVersion = 0;
    if (publisher.versionedPackage) {
      const pkg = nextPackage(previous.packages[publisher.name], contentHash(publisher.render(list, context(publisher, 0, true))));
      packages[publisher.name] = pkg;
      packageVersion = pkg.version;
    }
    if (!writing.has(publisher.name)) continue;
    const config = publisher.compileConfig?.(options.config) ?? options.config;
    for (const r of list) for (const backend of publisher.backendsFor(r.rule)) compile.diagnostics(r.rule, backend, config).forEach(add);
    const ctx = context(publisher, packageVersion);
    const rendered = publisher.render(list, ctx);
    const binary = publisher.archives?.(rendered, list, ctx) ?? new Map<string, Uint8Array>();
    const prefix = `${publisher.name}/`;
    for (const [path, text] of rendered) files.set(prefix + path, text);
    for (const [path, bytes] of binary) archives.set(prefix + path, bytes);
    targetFiles[publisher.name] = [...rendered.keys(), ...binary.keys()].map((p) => prefix + p).sort();
  }
  const lock: Lock = { rules: lockedRules, packages, changes: nextChanges(previous, lockedRules, packages) };
  files.set(MANIFEST, manifestText(rules, lock, targetFiles, options.siemcVersion));
  files.set(CHANGELOG, changelogText(lock.changes));
  return { files, archives, lock, diagnostics };
}

function manifestText(rules: readonly Rule[], lock: Lock, targets: { [target: string]: string[] }, siemcVersion: string | undefined): string {
  return stableJson({
    about: 'What siemc publish wrote: the rules with their published versions and content hashes, the targets and their files.',
    siemc: siemcVersion ?? 'unknown',
    targets: Object.fromEntries(Object.entries(targets).map(([name, paths]) => [name, { files: paths, ...(lock.packages[name] === undefined ? {} : { package: { ...lock.packages[name] } }) }])),
    rules: [...rules]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => ({ id: r.id, name: r.name, version: lock.rules[r.id]?.version ?? r.version, hashes: { ...(lock.rules[r.id]?.hashes ?? {}) } })),
    changes: {
      added: lock.changes.added.map((c) => ({ ...c })),
      changed: lock.changes.changed.map((c) => ({ ...c })),
      removed: lock.changes.removed.map((c) => ({ ...c })),
    },
  });
}

export function changelogText(changes: Changes): string {
  const section = (title: string, lines: readonly string[]): string => `## ${title}\n\n${lines.length === 0 ? '(none)\n' : lines.map((l) => `- ${l}\n`).join('')}`;
  return [
    '# Changes since the previous lock\n\nGenerated by siemc publish from siemc.lock.json: what its last change of published content added, changed and removed.\n',
    section('Added', changes.added.map((c) => `${c.name} (\`${c.id}\`), version ${c.version}`)),
    section('Changed', changes.changed.map((c) => `${c.name} (\`${c.id}\`), version ${c.from} -> ${c.to}`)),
    section('Removed', changes.removed.map((c) => `${c.name} (\`${c.id}\`), last version ${c.version}`)),
  ].join('\n');
}
