/** Running pySigma (scripts/pysigma/convert.py in .venv/pysigma) from tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { ANY_RUN, ONE_CHAR, literalPart, makePattern, type Pattern, type PatternPart } from '../../src/ir/pattern.js';
import { REPO_DIR } from './rules.js';

export const PYTHON = `${REPO_DIR}.venv/pysigma/bin/python`;
export const CONVERT = `${REPO_DIR}scripts/pysigma/convert.py`;
export const SETUP = `${REPO_DIR}scripts/pysigma/setup.sh`;
export const IN_CI = process.env.CI === 'true';

/** Creates the venv when it is missing and python3 is there; returns why it is still missing. */
export function ensureVenv(): string | undefined {
  if (existsSync(PYTHON)) return undefined;
  if (spawnSync('python3', ['--version'], { stdio: 'ignore' }).status !== 0) return 'no python3 to create .venv/pysigma with';
  const setup = spawnSync('bash', [SETUP], { encoding: 'utf8', timeout: 600_000 });
  if (existsSync(PYTHON)) return undefined;
  return `scripts/pysigma/setup.sh failed: ${(setup.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
}

export type Conversion = { readonly queries: readonly string[] } | { readonly error: string };
export type PyValue =
  | { readonly string: readonly (string | { readonly wildcard: '*' | '?' })[]; readonly cased: boolean }
  | { readonly [other: string]: unknown };
export interface PyRule {
  readonly title: string;
  readonly errors: readonly string[];
  readonly issues: readonly { readonly issue: string; readonly severity: string; readonly description: string }[];
  readonly conversions: { readonly splunk: Conversion; readonly lucene: Conversion; readonly eql: Conversion };
  readonly detections?: { readonly [selection: string]: readonly (readonly { field: string; modifiers: string[]; values: PyValue[] }[])[] };
}
export interface PyResult {
  readonly pysigma: string;
  readonly skipped_validators: readonly string[];
  readonly errors: readonly string[];
  readonly rules: readonly PyRule[];
}

/** Runs convert.py on YAML text (one rule or `---`-separated rules). */
export function pySigma(yaml: string, options: { detections?: boolean; convert?: boolean } = {}): PyResult {
  const args = [CONVERT, ...(options.detections === true ? ['--detections'] : []), ...(options.convert === false ? ['--no-convert'] : []), '-'];
  const run = spawnSync(PYTHON, args, { input: yaml, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
  if (run.status !== 0) throw new Error(`convert.py exited ${String(run.status)}: ${run.stderr}`);
  return JSON.parse(run.stdout) as PyResult;
}

export function queries(c: Conversion): readonly string[] {
  if ('error' in c) throw new Error(`pySigma refused the conversion: ${c.error}`);
  return c.queries;
}

/** pySigma's reading of a string value as an IR pattern (and whether it is case-sensitive). */
export function pyPattern(v: PyValue): { pattern: Pattern; cased: boolean } {
  if (!('string' in v) || !Array.isArray(v.string)) throw new Error(`not a string value: ${JSON.stringify(v)}`);
  const parts: PatternPart[] = (v.string as (string | { wildcard: '*' | '?' })[]).map((p) =>
    typeof p === 'string' ? literalPart(p) : p.wildcard === '*' ? ANY_RUN : ONE_CHAR,
  );
  return { pattern: makePattern(parts), cased: v.cased === true };
}

/** The rule without `|cased` modifiers: pySigma's Splunk and Lucene backends refuse them. */
export function withoutCased(yaml: string): string {
  const doc = parseDocument(yaml);
  const detection = doc.get('detection') as YAMLMap;
  for (const selection of detection.items) {
    if (!isMap(selection.value)) continue;
    for (const entry of selection.value.items) if (isScalar(entry.key)) entry.key.value = String(entry.key.value).replace('|cased', '');
  }
  return doc.toString({ defaultKeyType: 'PLAIN', defaultStringType: 'QUOTE_SINGLE', lineWidth: 0 });
}

