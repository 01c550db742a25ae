/**
 * Helpers for the differential test against pySigma: running scripts/pysigma/convert_corpus.py on
 * many files in one process, and renaming one event for each side (our ECS names, pySigma's
 * Lucene names, Sigma's names for Splunk).
 */
import { spawnSync } from 'node:child_process';
import type { Json } from '../../src/model/event.js';
import { ECS_VALUE_REWRITES, ecsFieldForSigma, type SigmaLogSource } from '../../src/schema/sigma-taxonomy.js';
import { PYTHON } from './pysigma.js';
import { REPO_DIR } from './rules.js';
import { isObject, type JsonObject } from './sigma-regression.js';

export type PyConversion = { readonly queries: readonly string[]; readonly fields: { readonly [sigma: string]: readonly string[] } } | { readonly error: string };
export interface PyCorpusRule {
  readonly id: string;
  readonly title: string;
  readonly error?: string;
  readonly fields?: readonly string[];
  readonly splunk?: PyConversion;
  readonly lucene?: PyConversion;
}
export type PyCorpus = { readonly [file: string]: { readonly error: string } | { readonly rules: readonly PyCorpusRule[] } };

/** pySigma's Splunk (splunk_windows) and Lucene (ecs_windows) conversions of the files, in one Python process. */
export function convertCorpus(files: readonly string[]): PyCorpus {
  const run = spawnSync(PYTHON, [`${REPO_DIR}scripts/pysigma/convert_corpus.py`], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 30, timeout: 600_000 });
  if (run.status !== 0) throw new Error(`convert_corpus.py exited ${String(run.status)}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { files: PyCorpus }).files;
}

/** A nested event's leaves by dotted path. */
export function flatten(event: Json, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (isObject(event)) {
    for (const [k, v] of Object.entries(event)) {
      if (isObject(v)) flatten(v, `${prefix}${k}.`, out);
      else out.set(`${prefix}${k}`, v);
    }
  }
  return out;
}

/**
 * An ECS-named event (a witness from our IR) under the Sigma names of the rule's fields: each
 * ECS field goes to every Sigma field of the rule that the importer maps to it (and
 * `winlog.channel` to `Channel`); a field no Sigma field maps to keeps its name.
 */
export function sigmaNamed(ecs: Json, sigmaFields: readonly string[], source: SigmaLogSource): Map<string, Json> {
  const back = new Map<string, string[]>();
  for (const s of [...sigmaFields, 'Channel']) {
    const e = ecsFieldForSigma(s, source) ?? s;
    back.set(e, [...(back.get(e) ?? []), s]);
  }
  const out = new Map<string, Json>();
  for (const [k, v] of flatten(ecs)) {
    // The importer rewrites some values with the field (Initiated 'true' is network.direction egress): undo it.
    const rewrites = Object.entries(ECS_VALUE_REWRITES[k] ?? {});
    const back1 = (x: Json): Json => rewrites.find(([, e]) => typeof x === 'string' && e === x.toLowerCase())?.[0] ?? x;
    const value = Array.isArray(v) ? v.map(back1) : back1(v);
    for (const s of back.get(k) ?? [k]) out.set(s, value);
  }
  return out;
}

/** The event as pySigma's Lucene query sees it: each Sigma field under the names its pipeline mapped it to (`.caseless` is a sub-field). */
export function luceneNamed(sigma: ReadonlyMap<string, Json>, ruleFields: readonly string[], mapped: { readonly [sigma: string]: readonly string[] }, source: SigmaLogSource): JsonObject {
  const read = new Set(ruleFields);
  const out: { [k: string]: Json } = {};
  for (const [s, v] of sigma) {
    // A field the rule reads is where pySigma's pipeline put it (or kept it); any other field
    // (the channel, fields of the event the rule ignores) under the names our taxonomy gives.
    const targets = mapped[s] ?? (read.has(s) ? [s] : [ecsFieldForSigma(s, source) ?? s]);
    for (const t of targets) out[t.replace(/\.caseless$/, '')] = v;
  }
  return out;
}

/**
 * The event as Splunk's Windows add-on has it, which is what pySigma's splunk_windows pipeline
 * expects: Sigma's names, `EventCode` for EventID, and `source` WinEventLog:<channel>.
 */
export function splunkNamed(sigma: ReadonlyMap<string, Json>): JsonObject {
  const out: { [k: string]: Json } = Object.fromEntries(sigma);
  const id = sigma.get('EventID');
  if (id !== undefined) out.EventCode = id;
  const channel = sigma.get('Channel');
  if (typeof channel === 'string') out.source = `WinEventLog:${channel}`;
  else if (Array.isArray(channel)) out.source = channel.map((c) => `WinEventLog:${String(c)}`);
  return out;
}
