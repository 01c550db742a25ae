/** Checks on loaded rules that the type system cannot make: shapes, uniqueness, and the rule's own tests. */
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../dsl/rule.js';
import { evaluate } from '../eval/evaluate.js';
import { ruleKeys } from '../cache/rule-key.js';
import { readCacheJson, writeCacheJson } from '../cache/store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TACTIC = /^TA\d{4}$/;
const TECHNIQUE = /^T\d{4}$/;
const SUBTECHNIQUE = /^T\d{4}\.\d{3}$/;

export interface ValidateOptions {
  /** Keeps the verdicts of each rule's tests here, under the rule's test key: an unchanged rule is not tested again. */
  readonly testCacheFile?: string;
}

const TESTS_FORMAT = 'siemc-test-verdicts/1';

interface TestCache {
  readonly format: string;
  readonly results: { readonly [key: string]: readonly Diagnostic[] };
}

export function validateRules(rules: readonly Rule[], options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = options.testCacheFile;
  const before = file === undefined ? undefined : readCacheJson<TestCache>(file, TESTS_FORMAT);
  const results: { [key: string]: readonly Diagnostic[] } = {};
  let changed = before === undefined;
  const seen = new Map<string, Rule>();
  for (const rule of rules) {
    const problem = (code: string, message: string): void => {
      out.push({ code, severity: 'error', message, rule: rule.id, ...(rule.location === undefined ? {} : { location: rule.location }) });
    };
    if (!UUID.test(rule.id)) problem('SIEMC-R001', `rule id "${rule.id}" is not a lower-case UUID`);
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) {
      const at = earlier.location === undefined ? '' : ` (first defined at ${earlier.location.file}:${earlier.location.line})`;
      problem('SIEMC-R002', `duplicate rule id ${rule.id}${at}`);
    } else {
      seen.set(rule.id, rule);
    }
    if (rule.name.trim() === '') problem('SIEMC-R003', 'rule name is empty');
    if (!(Number.isInteger(rule.riskScore) && rule.riskScore >= 0 && rule.riskScore <= 100))
      problem('SIEMC-R004', `risk score ${rule.riskScore} is not an integer from 0 to 100`);
    if (!(Number.isInteger(rule.version) && rule.version >= 1)) problem('SIEMC-R005', `version ${rule.version} is not a positive integer`);
    if (!(Number.isInteger(rule.maxSignals) && rule.maxSignals >= 1)) problem('SIEMC-R006', `maxSignals ${rule.maxSignals} is not a positive integer`);
    if (rule.index.length === 0) problem('SIEMC-R007', 'index pattern list is empty');
    for (const [key, date] of [['created', rule.created], ['updated', rule.updated]] as const) {
      if (date !== undefined && !isCalendarDate(date)) problem('SIEMC-R008', `${key} date "${date}" is not a valid YYYY-MM-DD date`);
    }
    if (rule.created !== undefined && rule.updated !== undefined && rule.updated < rule.created)
      problem('SIEMC-R009', `updated date ${rule.updated} is before created date ${rule.created}`);
    for (const t of rule.mitre) {
      if (!TACTIC.test(t.tactic.id)) problem('SIEMC-R020', `MITRE tactic id "${t.tactic.id}" is not of the form TA0000`);
      for (const tech of t.techniques) {
        if (!TECHNIQUE.test(tech.id)) problem('SIEMC-R021', `MITRE technique id "${tech.id}" is not of the form T0000`);
        for (const sub of tech.subtechniques ?? []) {
          if (!SUBTECHNIQUE.test(sub.id) || !sub.id.startsWith(`${tech.id}.`))
            problem('SIEMC-R022', `MITRE sub-technique id "${sub.id}" is not of the form ${tech.id}.000`);
        }
      }
    }
    const key = ruleKeys(rule).tests;
    let verdicts = before?.results[key];
    if (verdicts === undefined) {
      verdicts = checkTests(rule);
      changed = true;
    }
    results[key] = verdicts;
    out.push(...verdicts);
  }
  if (file !== undefined && (changed || Object.keys(before?.results ?? {}).length !== Object.keys(results).length))
    writeCacheJson(file, { format: TESTS_FORMAT, results } satisfies TestCache);
  return out;
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** A rule whose own test events disagree with its query is not built. */
function checkTests(rule: Rule): Diagnostic[] {
  const out: Diagnostic[] = [];
  const query = ruleKeys(rule).query;
  const names = new Set<string>();
  if (rule.tests.length === 0) {
    out.push({ code: 'SIEMC-R030', severity: 'error', message: 'rule has no test events', rule: rule.id });
  }
  for (const test of rule.tests) {
    if (names.has(test.name)) out.push({ code: 'SIEMC-R031', severity: 'error', message: `duplicate test name "${test.name}"`, rule: rule.id });
    names.add(test.name);
    const got = evaluate(query, test.event) ? 'match' : 'no match';
    if (got !== test.expect) {
      out.push({
        code: 'SIEMC-R032',
        severity: 'error',
        message: `test event "${test.name}" expects ${test.expect} but the query gives ${got}`,
        rule: rule.id,
        ...(rule.location === undefined ? {} : { location: rule.location }),
      });
    }
  }
  return out;
}
