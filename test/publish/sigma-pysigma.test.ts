/**
 * Published Sigma files as a Sigma user's tools read them: SigmaHQ's validators
 * (pysigma-validators-sigmahq, with the file names), pySigma's Splunk, Lucene and EQL backends,
 * and, on the live Elasticsearch, pySigma's Lucene query through its ecs_windows pipeline.
 * Rules: the reference rule and test/fixtures/sigma-publish (one per log source siemc derives).
 * Outside CI a missing venv skips this file with one line; in CI it is a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impliedConditions, logSource } from '../../src/backends/sigma/metadata.js';
import type { SigmaMode } from '../../src/config.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { and, match } from '../../src/ir/nodes.js';
import { mapLeaves } from '../../src/ir/fold.js';
import { normalize } from '../../src/ir/normalize.js';
import { disagreements, formatDisagreements, hitIds, type LabelledEvent } from '../../src/live/check.js';
import { publishRules } from '../../src/publish/publish.js';
import { fixtureRules } from '../fixtures/sigma-publish/rules.js';
import { esClient, LIVE, requireNodeInCi, ruleEvents } from '../support/live.js';
import { mappingFor } from '../../src/live/mapping.js';
import { ensureVenv, IN_CI, PYTHON, SETUP } from '../support/pysigma.js';
import { REPO_DIR, referenceRule } from '../support/rules.js';

type Conversion = { readonly queries: readonly string[] } | { readonly error: string };
interface Checked {
  readonly file: string;
  readonly errors: readonly string[];
  readonly issues: readonly { readonly issue: string; readonly detail: { readonly field?: string } }[];
  readonly conversions: { readonly [backend: string]: Conversion };
}

/** The venv, with SigmaHQ's validators in it (setup.sh brings an older venv up to date). */
function venvProblem(): string | undefined {
  const missing = ensureVenv();
  if (missing !== undefined) return missing;
  const has = (): boolean => spawnSync(PYTHON, ['-c', 'import importlib.metadata as m; m.version("pysigma-validators-sigmahq")'], { stdio: 'ignore' }).status === 0;
  if (!has()) spawnSync('bash', [SETUP], { stdio: 'ignore', timeout: 600_000 });
  return has() ? undefined : 'pysigma-validators-sigmahq is not installed';
}

const missing = venvProblem();
if (missing !== undefined && !IN_CI) console.log(`published-Sigma pySigma tests skipped: ${missing} (run scripts/pysigma/setup.sh)`);
requireNodeInCi();

const BACKENDS = ['splunk', 'lucene', 'eql'] as const;
/** The ECS fields pySigma's ecs_windows pipeline searches through their `.caseless` sub-field (of those these rules use). */
const CASELESS = ['process.executable', 'process.parent.executable'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Publishes the rules in one mode, writes the Sigma files, and runs scripts/pysigma/validate.py on them. */
function publishAndCheck(rules: readonly Rule[], mode: SigmaMode): { checked: Map<string, Checked>; diagnostics: readonly Diagnostic[]; files: Map<string, string> } {
  const result = publishRules(rules, { config: { publish: { sigma: { mode } } } });
  const dir = mkdtempSync(join(tmpdir(), 'siemc-sigma-publish-'));
  dirs.push(dir);
  const files = new Map([...result.files].filter(([p]) => p.startsWith('sigma/')).map(([p, t]) => [p.slice('sigma/'.length), t]));
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  const run = spawnSync(PYTHON, [`${REPO_DIR}scripts/pysigma/validate.py`, '--ecs-windows', ...[...files.keys()].map((n) => join(dir, n))], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
  if (run.status !== 0) throw new Error(`validate.py exited ${String(run.status)}: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { files: Checked[] };
  return { checked: new Map(out.files.map((f) => [f.file, f])), diagnostics: result.diagnostics.filter((d) => d.target === 'sigma'), files };
}

/** Which file each rule was published as (the file's `id`). */
function ruleOfFile(files: ReadonlyMap<string, string>, rules: readonly Rule[]): Map<string, Rule> {
  return new Map([...files].map(([name, text]) => [name, rules.find((r) => text.includes(`\nid: ${r.id}\n`)) as Rule]));
}

describe.skipIf(missing !== undefined && !IN_CI)('published Sigma, read by SigmaHQ validators and pySigma', async () => {
  const rules = [await referenceRule(), ...fixtureRules];
  const modes = missing === undefined ? { portable: publishAndCheck(rules, 'portable'), exact: publishAndCheck(rules, 'exact') } : undefined;

  it('has the venv', () => expect(missing).toBeUndefined());

  it.each(['portable', 'exact'] as const)('%s: the only validator findings are the fields SIEMC-P003 named, file names and all', (mode) => {
    const { checked, diagnostics, files } = modes?.[mode] ?? { checked: new Map(), diagnostics: [], files: new Map() };
    expect(checked.size).toBe(rules.length);
    let findings = 0;
    for (const [name, rule] of ruleOfFile(files, rules)) {
      const c = checked.get(name);
      expect(c?.errors, name).toEqual([]);
      const named = diagnostics.filter((d) => d.code === 'SIEMC-P003' && d.rule === rule.id).map((d) => /field "([^"]+)"/.exec(d.message)?.[1]);
      const found = (c?.issues ?? []).map((i: Checked['issues'][number]) => `${i.issue} ${i.detail.field ?? ''}`);
      findings += found.length;
      expect([...new Set(found)].sort(), name).toEqual(named.map((f) => `SigmahqInvalidFieldnameIssue ${f ?? ''}`).sort());
    }
    console.log(`${mode}: ${rules.length} published Sigma rules, ${findings} validator findings, all on the ${diagnostics.filter((d) => d.code === 'SIEMC-P003').length} fields SIEMC-P003 names`);
  });

  it("portable: pySigma's Splunk, Lucene and EQL backends convert every rule, and siemc predicts no refusal", () => {
    const { checked, diagnostics } = modes?.portable ?? { checked: new Map<string, Checked>(), diagnostics: [] };
    for (const c of checked.values()) for (const b of [...BACKENDS, 'lucene_ecs_windows']) expect('queries' in (c.conversions[b] ?? { error: 'none' }), `${c.file} ${b}: ${JSON.stringify(c.conversions[b])}`).toBe(true);
    expect(diagnostics.filter((d) => d.code === 'SIEMC-P004' || d.code === 'SIEMC-P005')).toEqual([]);
    // What portable costs is said per clause, with its direction.
    expect(diagnostics.filter((d) => d.code === 'SIEMC-A310').every((d) => d.direction === 'widened' || d.direction === 'narrowed')).toBe(true);
  });

  it('exact: each backend refuses exactly the rules SIEMC-P004 says it refuses', () => {
    const { checked, diagnostics, files } = modes?.exact ?? { checked: new Map<string, Checked>(), diagnostics: [], files: new Map() };
    const counts: string[] = [];
    for (const b of BACKENDS) {
      const refused = new Set<string>();
      const predicted = new Set<string>();
      for (const [name, rule] of ruleOfFile(files, rules)) {
        if ('error' in (checked.get(name)?.conversions[b] ?? { error: 'none' })) refused.add(rule.id);
        const said = diagnostics.find((d) => d.code === 'SIEMC-P004' && d.rule === rule.id);
        if (said !== undefined && (/^refused by pySigma backends ([a-z, ]+):/.exec(said.message)?.[1] ?? '').split(', ').includes(b)) predicted.add(rule.id);
      }
      expect([...refused].sort(), b).toEqual([...predicted].sort());
      counts.push(`${b} refuses ${refused.size}`);
    }
    expect(counts.some((c) => !c.endsWith(' 0'))).toBe(true);
    console.log(`exact: of ${rules.length} rules, ${counts.join(', ')}`);
  });

  describe.skipIf(!LIVE)("pySigma's Lucene query through ecs_windows, live", () => {
    const INDEX = 'siemc-live-sigma-publish';
    // Each rule's events inside its log source (the lifted conditions hold): what a Sigma
    // user's log source selects before the detection runs.
    const cases = rules.map((rule) => {
      const query = normalize(rule.query);
      const lifted = [...impliedConditions(query, logSource(query))];
      const inSource = (e: LabelledEvent): boolean => evaluate(and(lifted), e.event);
      return { rule, query, events: ruleEvents(rule).filter(inSource).map((e) => ({ ...e, id: `${rule.id.slice(-2)}-${e.id}` })) };
    });
    // Winlogbeat's index template gives the process paths a `caseless` sub-field (lower-case
    // normalizer), which pySigma's ecs_windows pipeline searches for `Image` and `ParentImage`.
    beforeAll(async () => {
      const client = esClient();
      await client.indices.delete({ index: INDEX, ignore_unavailable: true });
      const mappings = mappingFor(cases.flatMap((c) => fieldsOf(c.query)));
      for (const path of CASELESS) {
        let node: { properties?: Record<string, unknown> } = mappings;
        const segments = path.split('.');
        for (const seg of segments.slice(0, -1)) node = (node.properties?.[seg] ?? {}) as typeof node;
        const leaf = node.properties?.[segments[segments.length - 1] ?? ''] as Record<string, unknown> | undefined;
        if (leaf !== undefined) leaf.fields = { caseless: { type: 'keyword', normalizer: 'caseless' } };
      }
      await client.indices.create({
        index: INDEX,
        mappings: mappings as never,
        settings: { number_of_shards: 1, number_of_replicas: 0, analysis: { normalizer: { caseless: { type: 'custom', filter: ['lowercase'] } } } },
      });
      await client.bulk({ operations: cases.flatMap((c) => c.events.flatMap((e) => [{ index: { _index: INDEX, _id: e.id } }, e.event as Record<string, unknown>])), refresh: 'wait_for' });
    });
    afterAll(async () => {
      await esClient().indices.delete({ index: INDEX, ignore_unavailable: true });
    });

    it.each(cases.map((c) => [c.rule.name, c] as const))('%s: selects what our evaluator selects', async (_, c) => {
      const { checked, files } = modes?.portable ?? { checked: new Map<string, Checked>(), files: new Map() };
      const name = [...ruleOfFile(files, rules)].find(([, r]) => r === c.rule)?.[0] ?? '';
      const conversion = checked.get(name)?.conversions.lucene_ecs_windows ?? { error: 'no conversion' };
      if ('error' in conversion) throw new Error(conversion.error);
      const [lucene] = conversion.queries;
      const hits = await hitIds(esClient(), INDEX, { query: { bool: { must: [{ query_string: { query: lucene } }], filter: [{ ids: { values: c.events.map((e) => e.id) } }] } } });
      // pySigma's Lucene output matches values as written, case-sensitively on keyword fields
      // (test/live/pysigma-lucene.test.ts), except on the `caseless` sub-fields. So the
      // expectation is the rule with every match case-sensitive but those.
      const caseSensitive = mapLeaves(c.query, (l) => (l.kind === 'match' ? match(l.field, l.patterns, CASELESS.includes(l.field.name), l.label) : l));
      const diff = disagreements(c.events, (e) => evaluate(caseSensitive, e.event), hits);
      expect(c.events.length).toBeGreaterThan(2);
      expect(diff, formatDisagreements(`pySigma lucene (ecs_windows) for ${c.rule.name}`, diff)).toEqual([]);
    });
  });
});
