/**
 * Sigma YAML files to rules. A file holds one rule, or several YAML documents: Sigma 1.0's
 * `action: global` (merged into every following rule document until `action: reset`) and
 * `action: repeat` (the previous rule with some keys changed). Correlation and filter documents
 * are reported and not imported. Every problem is a diagnostic naming file:line:col; a problem
 * in one rule keeps only that rule out.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../diagnostics.js';
import type { ImportResult } from '../../import/importer.js';
import type { Rule } from '../../model/rule.js';
import type { SourceLocation } from '../../model/location.js';
import type { SigmaLogSource } from '../../schema/sigma-taxonomy.js';
import { lowerDetection, type DetectionOptions, type Warning } from './detection.js';
import { ruleMetadata } from './metadata.js';
import { ImportProblem } from './problems.js';
import { entry, mergeInto, readYaml, text, without, type YNode } from './yaml.js';

export type SigmaImportOptions = DetectionOptions;
export const DEFAULT_SIGMA_OPTIONS: SigmaImportOptions = { keywords: 'message' };

export function importSigma(file: string, source: string, options: SigmaImportOptions = DEFAULT_SIGMA_OPTIONS): ImportResult {
  const yaml = readYaml(file, source);
  if ('problem' in yaml) {
    return { rules: [], diagnostics: [{ code: 'SIEMC-I101', severity: 'error', message: `not valid YAML: ${yaml.problem.message}`, location: yaml.problem.at }] };
  }
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  let global: YNode | undefined;
  let previous: YNode | undefined;
  const candidates: { doc: YNode; inheritedId: boolean }[] = [];
  for (const d of yaml.documents) {
    const root = d.root;
    if (root === undefined) continue;
    if (root.kind !== 'map') {
      diagnostics.push({ code: 'SIEMC-I102', severity: 'error', message: 'a Sigma document is a map of keys (title, logsource, detection, ...)', location: root.at });
      continue;
    }
    const action = text(entry(root, 'action')?.value);
    const body = without(root, ['action']);
    if (action === 'global') {
      global = global === undefined ? body : mergeInto(global, body);
      continue;
    }
    if (action === 'reset') {
      global = undefined;
      continue;
    }
    const doc = action === 'repeat' && previous !== undefined ? mergeInto(previous, body) : global === undefined ? body : mergeInto(global, body);
    if (action !== undefined && action !== 'repeat') {
      diagnostics.push({ code: 'SIEMC-I115', severity: 'error', message: `unknown action "${action}" (Sigma knows global, reset and repeat)`, location: entry(root, 'action')?.keyAt ?? root.at });
      continue;
    }
    if (action === 'repeat' && previous === undefined) {
      diagnostics.push({ code: 'SIEMC-I115', severity: 'error', message: 'action: repeat without a rule before it', location: root.at });
      continue;
    }
    previous = doc;
    candidates.push({ doc, inheritedId: entry(body, 'id') === undefined && entry(doc, 'id') !== undefined });
  }
  const ruleDocs = candidates.filter((c) => isRuleDocument(c.doc, file, diagnostics));
  const shareId = ruleDocs.filter((c) => c.inheritedId).length > 1;
  ruleDocs.forEach(({ doc, inheritedId }, n) => {
    const rule = oneRule(file, doc, options, diagnostics, shareId && inheritedId ? n : undefined);
    if (rule !== undefined) rules.push(rule);
  });
  return { rules, diagnostics };
}

/** Rule documents go on; correlation, filter and other documents are reported here. */
function isRuleDocument(doc: YNode, file: string, diagnostics: Diagnostic[]): boolean {
  const title = text(entry(doc, 'title')?.value);
  const at = doc.at;
  const named = title === undefined ? 'a document' : `"${title}"`;
  if (entry(doc, 'correlation') !== undefined) {
    diagnostics.push({ code: 'SIEMC-I103', severity: 'error', message: `${named} is a correlation rule (it counts or orders events of other rules), which siemc does not import`, location: at });
    return false;
  }
  if (entry(doc, 'filter') !== undefined) {
    diagnostics.push({ code: 'SIEMC-I104', severity: 'error', message: `${named} is a Sigma filter (it changes other rules when they are converted), which siemc does not import; apply it to the rules it names first`, location: at });
    return false;
  }
  if (entry(doc, 'detection') === undefined) {
    diagnostics.push({ code: 'SIEMC-I102', severity: 'error', message: `${named} has no detection, so it is not a Sigma rule`, location: { ...at, file } });
    return false;
  }
  return true;
}

function logSource(doc: YNode): SigmaLogSource {
  const ls = entry(doc, 'logsource')?.value;
  if (ls === undefined) throw new ImportProblem('SIEMC-I102', 'a Sigma rule needs a logsource', doc.at);
  if (ls.kind !== 'map') throw new ImportProblem('SIEMC-I102', 'logsource must be a map (product, category, service)', ls.at);
  const get = (k: string): string | undefined => text(entry(ls, k)?.value);
  const product = get('product');
  const category = get('category');
  const service = get('service');
  return { ...(product === undefined ? {} : { product }), ...(category === undefined ? {} : { category }), ...(service === undefined ? {} : { service }) };
}

function oneRule(file: string, doc: YNode, options: SigmaImportOptions, diagnostics: Diagnostic[], derived: number | undefined): Rule | undefined {
  const titleEntry = entry(doc, 'title');
  const location: SourceLocation = titleEntry?.keyAt ?? doc.at;
  const ruleName = text(titleEntry?.value);
  const warnings: Warning[] = [];
  const warn = (w: Warning): void => {
    warnings.push(w);
  };
  try {
    let metadata = ruleMetadata(doc, warn);
    if (derived !== undefined) {
      const id = derivedId(metadata.id, derived);
      warn({ code: 'SIEMC-I112', message: `the rules of this file share the global id ${metadata.id}; this one is imported as ${id}`, at: location });
      metadata = { ...metadata, id };
    }
    const detection = entry(doc, 'detection')?.value as YNode;
    const query = lowerDetection(detection, logSource(doc), options, warn);
    const seen = new Set<string>();
    for (const w of warnings) {
      const key = `${w.code}\u0000${w.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({ code: w.code, severity: 'warning', message: w.message, rule: metadata.id, location: w.at });
    }
    return { kind: 'siemc.rule', ...metadata, query, tests: [], provenance: { kind: 'sigma', location }, location };
  } catch (e) {
    if (!(e instanceof ImportProblem)) throw e;
    const id = text(entry(doc, 'id')?.value);
    diagnostics.push({
      code: e.code,
      severity: 'error',
      message: `${ruleName === undefined ? 'rule' : `"${ruleName}"`} not imported: ${e.message}`,
      ...(id === undefined ? {} : { rule: id }),
      location: e.at ?? location,
    });
    return undefined;
  }
}

/** A stable UUID (version 5 layout) for the n-th rule of a file whose rules share one id. */
function derivedId(id: string, n: number): string {
  const h = createHash('sha1').update(`${id}/${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
