/** Checks on loaded rules that the type system cannot make: shapes, uniqueness, and the rule's own tests. */
import type { Diagnostic } from '../diagnostics.js';
import type { MitreTactic, Rule } from '../model/rule.js';
import { evaluate } from '../eval/evaluate.js';
import { decidingClause } from '../eval/explain.js';
import { testLocation } from './test-locations.js';
import { ruleKeys } from '../cache/rule-key.js';
import { readCacheJson, writeCacheJson } from '../cache/store.js';
import type { DiagnosticCode } from '../codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TACTIC = /^TA\d{4}$/;
const TECHNIQUE = /^T\d{4}$/;
const SUBTECHNIQUE = /^T\d{4}\.\d{3}$/;
const SEVERITIES: readonly string[] = ['low', 'medium', 'high', 'critical'];
/** What the publishers can schedule: a whole number of seconds, minutes, hours or days. */
const INTERVAL = /^[1-9]\d*[smhd]$/;
const LOOK_BACK = /^now-[1-9]\d*[smhd]$/;
/** Every key of RuleSpec, and what defineRule adds; anything else is a misspelling in a rule the type checker did not see. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'id', 'name', 'description', 'author', 'license', 'severity', 'riskScore', 'schedule', 'maxSignals', 'index', 'tags',
  'mitre', 'references', 'falsePositives', 'note', 'version', 'created', 'updated', 'query', 'tests', 'kind', 'location', 'provenance',
  'setup', 'status', 'language',
]);
const STATUSES: readonly unknown[] = ['experimental', 'test', 'stable', 'deprecated', 'unsupported'];
const LANGUAGES: readonly unknown[] = ['eql', 'kql'];
/**
 * Characters metadata text must not hold: C0 controls other than tab, newline and carriage
 * return, DEL and C1 controls, bidi controls, zero-width characters and lone surrogates. Rule
 * text reaches Kibana, Splunk .conf files and Sigma YAML, where a reviewer could not see them.
 */
const HIDDEN_IN_METADATA = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\p{Surrogate}]/u;

type Problem = (code: DiagnosticCode, message: string) => void;

export interface ValidateOptions {
  /** Keeps the verdicts of each rule's tests here, under the rule's test key: an unchanged rule is not tested again. */
  readonly testCacheFile?: string;
}

const TESTS_FORMAT = 'siemc-test-verdicts/1';

interface TestCache {
  readonly format: string;
  readonly results: { readonly [key: string]: readonly Diagnostic[] };
}

/**
 * Checks every rule: the shapes TypeScript's types promise (for rules in plain JavaScript or
 * under `// @ts-nocheck`, which no type check protects), uniqueness of ids, and the rule's own
 * test events. Each problem is one sentence at the rule's file:line.
 */
export function validateRules(rules: readonly Rule[], options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = options.testCacheFile;
  const before = file === undefined ? undefined : readCacheJson<TestCache>(file, TESTS_FORMAT);
  const results: { [key: string]: readonly Diagnostic[] } = {};
  let changed = before === undefined;
  const seen = new Map<string, Rule>();
  for (const rule of rules) {
    const problem: Problem = (code, message) => {
      out.push({ code, severity: 'error', message, rule: String(rule.id), ...(rule.location === undefined ? {} : { location: rule.location }) });
    };
    const shapesOk = checkShapes(rule as unknown as Record<string, unknown>, problem);
    if (!UUID.test(String(rule.id))) problem('SIEMC-R001', `rule id ${JSON.stringify(rule.id)} is not a lower-case UUID`);
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) {
      const at = earlier.location === undefined ? '' : ` (first defined at ${earlier.location.file}:${earlier.location.line})`;
      problem('SIEMC-R002', `duplicate rule id ${rule.id}${at}`);
    } else {
      seen.set(rule.id, rule);
    }
    if (typeof rule.name === 'string' && rule.name.trim() === '') problem('SIEMC-R003', 'rule name is empty');
    // Risk score, max signals and index may be left out (src/model/defaults.ts); when given they must be sound.
    const riskScore: unknown = rule.riskScore;
    if (riskScore !== undefined && !(Number.isInteger(riskScore) && (riskScore as number) >= 0 && (riskScore as number) <= 100))
      problem('SIEMC-R004', `risk score ${JSON.stringify(riskScore)} is not an integer from 0 to 100`);
    if (!(Number.isInteger(rule.version) && rule.version >= 1)) problem('SIEMC-R005', `version ${JSON.stringify(rule.version)} is not a positive integer`);
    const maxSignals: unknown = rule.maxSignals;
    if (maxSignals !== undefined && !(Number.isInteger(maxSignals) && (maxSignals as number) >= 1)) problem('SIEMC-R006', `maxSignals ${JSON.stringify(maxSignals)} is not a positive integer`);
    if (Array.isArray(rule.index) && rule.index.length === 0) problem('SIEMC-R007', 'index pattern list is empty');
    for (const [key, date] of [['created', rule.created], ['updated', rule.updated]] as const) {
      if (date !== undefined && !isCalendarDate(date)) problem('SIEMC-R008', `${key} date ${JSON.stringify(date)} is not a valid YYYY-MM-DD date`);
    }
    if (rule.created !== undefined && rule.updated !== undefined && rule.updated < rule.created)
      problem('SIEMC-R009', `updated date ${rule.updated} is before created date ${rule.created}`);
    if (Array.isArray(rule.mitre)) checkMitre(rule.mitre, problem);
    if (!shapesOk) continue;
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

/**
 * The shapes of the metadata; false when the tests cannot be run (the test list is malformed).
 * Every check names the key, so one sentence says what to fix.
 */
function checkShapes(rule: Record<string, unknown>, problem: Problem): boolean {
  for (const key of Object.keys(rule)) {
    if (!KNOWN_KEYS.has(key)) problem('SIEMC-R047', `unknown rule field "${key}" (a misspelling?)`);
  }
  for (const key of ['name', 'description', 'license'] as const) {
    if (typeof rule[key] !== 'string') problem('SIEMC-R043', `${key} must be a string, not ${describe(rule[key])}`);
  }
  for (const key of ['note', 'setup'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string') problem('SIEMC-R043', `${key} must be a string, not ${describe(rule[key])}`);
  }
  if (rule.status !== undefined && !STATUSES.includes(rule.status)) problem('SIEMC-R048', `status ${JSON.stringify(rule.status)} is not one of ${STATUSES.join(', ')}`);
  if (rule.language !== undefined && !LANGUAGES.includes(rule.language)) problem('SIEMC-R048', `language ${JSON.stringify(rule.language)} is not one of ${LANGUAGES.join(', ')}`);
  for (const key of ['author', 'index', 'tags', 'references', 'falsePositives'] as const) {
    const value = rule[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      problem('SIEMC-R044', `${key} must be an array of strings, not ${describe(value)}`);
    } else if (key === 'index' && value.some((v) => (v as string).trim() === '')) {
      problem('SIEMC-R044', 'index must not hold an empty index pattern');
    }
  }
  if (typeof rule.severity !== 'string' || !SEVERITIES.includes(rule.severity)) {
    problem('SIEMC-R040', `severity ${JSON.stringify(rule.severity)} is not one of ${SEVERITIES.join(', ')}`);
  }
  const schedule = rule.schedule as { interval?: unknown; from?: unknown } | undefined;
  if (typeof schedule !== 'object' || schedule === null) {
    problem('SIEMC-R041', `schedule must be an object { interval, from }, not ${describe(schedule)}`);
  } else {
    if (typeof schedule.interval !== 'string' || !INTERVAL.test(schedule.interval))
      problem('SIEMC-R041', `schedule interval ${JSON.stringify(schedule.interval)} is not a whole number of s, m, h or d, like "5m"`);
    if (typeof schedule.from !== 'string' || !LOOK_BACK.test(schedule.from))
      problem('SIEMC-R042', `schedule from ${JSON.stringify(schedule.from)} is not date math like "now-9m"`);
  }
  if (!Array.isArray(rule.mitre)) problem('SIEMC-R023', `mitre must be an array of tactics, not ${describe(rule.mitre)}`);
  for (const [where, text] of metadataTexts(rule)) {
    const hidden = HIDDEN_IN_METADATA.exec(text);
    if (hidden !== null) {
      const cp = hidden[0].codePointAt(0) ?? 0;
      problem('SIEMC-R045', `${where} holds U+${cp.toString(16).toUpperCase().padStart(4, '0')}, a control or invisible character that a reviewer cannot see`);
    }
  }
  return checkTestShapes(rule.tests, problem);
}

/** The free-text metadata, with where it sits (`tags[2]`). */
function metadataTexts(rule: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const add = (where: string, value: unknown): void => {
    if (typeof value === 'string') out.push([where, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => add(`${where}[${i}]`, v));
  };
  for (const key of ['name', 'description', 'license', 'note', 'setup', 'author', 'index', 'tags', 'references', 'falsePositives'] as const) add(key, rule[key]);
  if (Array.isArray(rule.mitre)) {
    rule.mitre.forEach((t: unknown, i) => {
      const tactic = (t as { tactic?: { name?: unknown } } | null)?.tactic;
      add(`mitre[${i}].tactic.name`, tactic?.name);
    });
  }
  return out;
}

function checkMitre(mitre: readonly unknown[], problem: Problem): void {
  mitre.forEach((entry, i) => {
    const t = entry as Partial<MitreTactic> | null;
    const tactic = t?.tactic as { id?: unknown; name?: unknown } | undefined;
    if (typeof tactic !== 'object' || tactic === null || typeof tactic.name !== 'string' || typeof tactic.id !== 'string') {
      problem('SIEMC-R023', `mitre[${i}] must be { tactic: { id, name }, techniques: [...] } with string id and name`);
      return;
    }
    if (!TACTIC.test(tactic.id)) problem('SIEMC-R020', `MITRE tactic id "${tactic.id}" is not of the form TA0000`);
    if (!Array.isArray(t?.techniques)) {
      problem('SIEMC-R023', `mitre[${i}].techniques must be an array, not ${describe(t?.techniques)}`);
      return;
    }
    t.techniques.forEach((tech: unknown, j) => {
      const x = tech as { id?: unknown; name?: unknown; subtechniques?: unknown } | null;
      if (typeof x?.id !== 'string' || typeof x.name !== 'string') {
        problem('SIEMC-R023', `mitre[${i}].techniques[${j}] must have a string id and name`);
        return;
      }
      if (!TECHNIQUE.test(x.id)) problem('SIEMC-R021', `MITRE technique id "${x.id}" is not of the form T0000`);
      if (x.subtechniques === undefined) return;
      if (!Array.isArray(x.subtechniques)) {
        problem('SIEMC-R023', `mitre[${i}].techniques[${j}].subtechniques must be an array, not ${describe(x.subtechniques)}`);
        return;
      }
      for (const sub of x.subtechniques as unknown[]) {
        const sid = (sub as { id?: unknown; name?: unknown } | null)?.id;
        if (typeof sid !== 'string' || typeof (sub as { name?: unknown }).name !== 'string') {
          problem('SIEMC-R023', `a sub-technique of ${x.id} must have a string id and name`);
        } else if (!SUBTECHNIQUE.test(sid) || !sid.startsWith(`${x.id}.`)) {
          problem('SIEMC-R022', `MITRE sub-technique id "${sid}" is not of the form ${x.id}.000`);
        }
      }
    });
  });
}

/** Test events: an array of { name, expect: 'match' | 'no match', event: object }; false when they cannot be run. */
function checkTestShapes(tests: unknown, problem: Problem): boolean {
  if (!Array.isArray(tests)) {
    problem('SIEMC-R033', `tests must be an array of { name, expect, event }, not ${describe(tests)}`);
    return false;
  }
  let ok = true;
  tests.forEach((t: unknown, i) => {
    const x = t as { name?: unknown; expect?: unknown; event?: unknown } | null;
    const bad =
      typeof x !== 'object' || x === null
        ? 'must be an object { name, expect, event }'
        : typeof x.name !== 'string'
          ? `needs a string name, not ${describe(x.name)}`
          : x.expect !== 'match' && x.expect !== 'no match'
            ? `expects ${JSON.stringify(x.expect)}, which is neither "match" nor "no match"`
            : typeof x.event !== 'object' || x.event === null || Array.isArray(x.event)
              ? `needs an event object, not ${describe(x.event)}`
              : undefined;
    if (bad !== undefined) {
      problem('SIEMC-R033', `test ${i + 1} ${bad}`);
      ok = false;
    }
  });
  return ok;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : typeof v)).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isCalendarDate(text: unknown): boolean {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** A rule whose own test events disagree with its query is not built. */
function checkTests(rule: Rule): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = rule.location === undefined ? {} : { location: rule.location };
  const problem = (code: DiagnosticCode, message: string): void => {
    out.push({ code, severity: 'error', message, rule: rule.id, ...at });
  };
  const query = ruleKeys(rule).query;
  const names = new Set<string>();
  if (rule.tests.length === 0) problem('SIEMC-R030', 'rule has no test events');
  for (const test of rule.tests) {
    if (names.has(test.name)) problem('SIEMC-R031', `duplicate test name "${test.name}"`);
    names.add(test.name);
    const got = evaluate(query, test.event) ? 'match' : 'no match';
    if (got !== test.expect) {
      // Name the test at its own line, and the clause that decided the verdict.
      const decision = decidingClause(query, test.event);
      const where = rule.location === undefined ? undefined : testLocation(rule.location.file, test.name);
      out.push({
        code: 'SIEMC-R032',
        severity: 'error',
        message: `test event "${test.name}" expects ${test.expect} but the query gives ${got}: decided by ${decision.clause}, which is ${decision.holds} for this event`,
        rule: rule.id,
        clause: decision.clause,
        ...(where === undefined ? at : { location: where }),
      });
    }
  }
  return out;
}
