/**
 * SigmaHQ's regression data as events: the evtx dumps (JSON) beside each `info.yml`, flattened
 * the way Sigma names a Windows event's fields (EventData and System, `Provider_Name` for the
 * provider), and renamed to ECS through the importer's taxonomy for the rule's log source. Shared
 * by the evaluator, live and differential tests on the corpus.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { filesUnder } from '../../src/util/files.js';
import { parse } from 'yaml';
import { sigmaImporter } from '../../src/import/sigma.js';
import type { Json } from '../../src/model/event.js';
import type { Rule } from '../../src/model/rule.js';
import { ecsFieldForSigma, type SigmaLogSource } from '../../src/schema/sigma-taxonomy.js';
import { yamlFiles } from './sigma-corpus.js';

export type JsonObject = { readonly [key: string]: Json };
export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON objects of an evtx dump, one after another in a file. */
export function evtxEvents(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as JsonObject);
  }
  return out;
}

/** Sigma's names for a Windows event's fields: System's scalars, Provider_Name, EventData (or UserData's element). */
export function sigmaFields(event: JsonObject): Map<string, Json> {
  const out = new Map<string, Json>();
  const e = event.Event;
  if (!isObject(e)) return out;
  const system = e.System;
  if (isObject(system)) {
    for (const [k, v] of Object.entries(system)) if (v === null || typeof v !== 'object') out.set(k, v);
    const provider = system.Provider;
    if (isObject(provider) && isObject(provider['#attributes'])) {
      const name = provider['#attributes'].Name;
      if (name !== undefined) out.set('Provider_Name', name);
    }
  }
  const data = isObject(e.EventData) ? e.EventData : isObject(e.UserData) ? Object.values(e.UserData).find(isObject) : undefined;
  for (const [k, v] of Object.entries(data ?? {})) if (k !== '#attributes' && (v === null || typeof v !== 'object')) out.set(k, v);
  return out;
}

/** The event under ECS names for the rule's log source (unmapped fields keep their Sigma name, as the importer does). */
export function ecsEvent(fields: ReadonlyMap<string, Json>, source: SigmaLogSource): JsonObject {
  const out: { [key: string]: Json[] } = {};
  for (const [sigma, value] of fields) {
    const name = ecsFieldForSigma(sigma, source) ?? sigma;
    (out[name] ??= []).push(value);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? (v[0] as Json) : v]));
}

export interface RegressionCase {
  readonly ruleId: string;
  readonly title: string;
  /** The evtx dump as JSON, beside info.yml. */
  readonly events: string;
  readonly expected: number;
}

/** Every evtx regression test under `root` (regression_data/rules), in path order. */
export function regressionCases(root: string): RegressionCase[] {
  const out: RegressionCase[] = [];
  for (const p of filesUnder(root, (_, name) => name === 'info.yml')) {
    const info = parse(readFileSync(p, 'utf8')) as { rule_metadata?: { id: string; title: string }[]; regression_tests_info?: { type: string; match_count?: number; path: string }[] };
    const rule = info.rule_metadata?.[0];
    for (const t of info.regression_tests_info ?? []) {
      if (rule === undefined || t.type !== 'evtx') continue;
      // The evtx file is stored beside info.yml as JSON; a test without match_count expects one match.
      out.push({ ruleId: rule.id, title: rule.title, events: join(dirname(p), `${t.path.split('/').pop()?.replace(/\.evtx$/, '') ?? ''}.json`), expected: t.match_count ?? 1 });
    }
  }
  return out;
}

export interface CorpusRule {
  readonly rule: Rule;
  readonly file: string;
  readonly source: SigmaLogSource;
}

export interface ImportedCorpus {
  /** Imported rules by id. */
  readonly rules: ReadonlyMap<string, CorpusRule>;
  /** Why a rule id was not imported (the first error). */
  readonly refusals: ReadonlyMap<string, string>;
}

/** Imports every rule file under `rulesDir` with the default importer. */
export function importCorpus(rulesDir: string): ImportedCorpus {
  const importer = sigmaImporter();
  const rules = new Map<string, CorpusRule>();
  const refusals = new Map<string, string>();
  for (const file of yamlFiles(rulesDir)) {
    const text = readFileSync(file, 'utf8');
    const r = importer.importFile(file, text);
    const doc = parse(text) as { id?: string; logsource?: SigmaLogSource };
    for (const rule of r.rules) rules.set(rule.id, { rule, file, source: doc.logsource ?? {} });
    const error = r.diagnostics.find((d) => d.severity === 'error');
    if (error !== undefined && doc.id !== undefined) refusals.set(doc.id, `${error.code} ${error.message}`);
  }
  return { rules, refusals };
}

/** A regression test's events, flattened to Sigma names. */
export function regressionEvents(c: RegressionCase): Map<string, Json>[] {
  return evtxEvents(readFileSync(c.events, 'utf8')).map(sigmaFields);
}
