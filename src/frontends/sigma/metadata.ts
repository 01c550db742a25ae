/**
 * Sigma rule metadata to the rule model: title -> name, id, description, author (split on
 * commas), level -> severity (informational -> low), `attack.*` tags -> MITRE, references,
 * falsepositives, date/modified -> created/updated, license. The model has no status: it is kept
 * as the tag `status:<status>`, beside every Sigma tag as written.
 *
 * Sigma tags do not say which tactic a technique serves; every technique of a rule is listed
 * under every tactic the rule names (Elastic's threat model allows that). A technique tag without
 * any tactic tag has no place in the model and stays a tag only. Technique names are not in
 * Sigma files and siemc has no ATT&CK table: a technique's name is its id.
 */
import type { IsoDate, MitreSubtechnique, MitreTactic, MitreTechnique, RuleMetadata, Severity } from '../../model/rule.js';
import type { Warning } from './detection.js';
import { ImportProblem } from './problems.js';
import { entry, text, texts, type YNode } from './yaml.js';

/** ATT&CK Enterprise tactics, by the names Sigma tags use (both `-` and `_` spellings are in use). */
const TACTICS: { readonly [tag: string]: { readonly id: `TA${number}`; readonly name: string } } = {
  reconnaissance: { id: 'TA0043', name: 'Reconnaissance' },
  'resource-development': { id: 'TA0042', name: 'Resource Development' },
  'initial-access': { id: 'TA0001', name: 'Initial Access' },
  execution: { id: 'TA0002', name: 'Execution' },
  persistence: { id: 'TA0003', name: 'Persistence' },
  'privilege-escalation': { id: 'TA0004', name: 'Privilege Escalation' },
  'defense-evasion': { id: 'TA0005', name: 'Defense Evasion' },
  'credential-access': { id: 'TA0006', name: 'Credential Access' },
  discovery: { id: 'TA0007', name: 'Discovery' },
  'lateral-movement': { id: 'TA0008', name: 'Lateral Movement' },
  collection: { id: 'TA0009', name: 'Collection' },
  'command-and-control': { id: 'TA0011', name: 'Command and Control' },
  exfiltration: { id: 'TA0010', name: 'Exfiltration' },
  impact: { id: 'TA0040', name: 'Impact' },
};

const LEVELS: { readonly [level: string]: Severity } = { informational: 'low', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function ruleMetadata(doc: YNode, warn: (w: Warning) => void): RuleMetadata {
  const title = text(entry(doc, 'title')?.value)?.trim();
  if (title === undefined || title === '') throw new ImportProblem('SIEMC-I102', 'a Sigma rule needs a title', doc.at);
  const idEntry = entry(doc, 'id');
  const id = text(idEntry?.value)?.trim();
  if (id === undefined || !UUID.test(id)) {
    throw new ImportProblem('SIEMC-I112', id === undefined ? 'the rule has no id (siemc names outputs by a UUID id)' : `the id "${id}" is not a UUID`, idEntry?.keyAt ?? doc.at);
  }
  const levelEntry = entry(doc, 'level');
  const level = text(levelEntry?.value)?.toLowerCase();
  let severity = level === undefined ? undefined : LEVELS[level];
  if (severity === undefined) {
    warn({ code: 'SIEMC-I112', message: level === undefined ? 'no level; imported as medium' : `unknown level "${level}"; imported as medium`, at: levelEntry?.keyAt ?? doc.at });
    severity = 'medium';
  }
  const tags = texts(entry(doc, 'tags')?.value);
  const status = text(entry(doc, 'status')?.value);
  const created = date(doc, 'date', warn);
  let updated = date(doc, 'modified', warn);
  if (created !== undefined && updated !== undefined && updated < created) {
    warn({ code: 'SIEMC-I112', message: `modified ${updated} is before date ${created}; modified dropped`, at: entry(doc, 'modified')?.keyAt ?? doc.at });
    updated = undefined;
  }
  const license = text(entry(doc, 'license')?.value);
  return {
    id: id.toLowerCase(),
    name: title,
    description: text(entry(doc, 'description')?.value)?.trim() ?? '',
    author: texts(entry(doc, 'author')?.value).flatMap((a) => a.split(',')).map((a) => a.trim()).filter((a) => a !== ''),
    license: license ?? '',
    severity,
    tags: [...tags, ...(status === undefined ? [] : [`status:${status}`])],
    mitre: mitre(tags),
    references: texts(entry(doc, 'references')?.value),
    falsePositives: texts(entry(doc, 'falsepositives')?.value),
    version: 1,
    ...(created === undefined ? {} : { created }),
    ...(updated === undefined ? {} : { updated }),
  };
}

/** Sigma dates are YYYY-MM-DD (or the older YYYY/MM/DD); anything else is dropped with a warning. */
function date(doc: YNode, key: string, warn: (w: Warning) => void): IsoDate | undefined {
  const e = entry(doc, key);
  const raw = text(e?.value)?.trim();
  if (raw === undefined || e === undefined) return undefined;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(raw);
  const iso = m === null ? undefined : `${m[1] as string}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  if (iso === undefined || !new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso)) {
    warn({ code: 'SIEMC-I112', message: `${key} "${raw}" is not a YYYY-MM-DD date; dropped`, at: e.keyAt });
    return undefined;
  }
  return iso as IsoDate;
}

function mitre(tags: readonly string[]): MitreTactic[] {
  const tactics: { id: `TA${number}`; name: string }[] = [];
  const techniques = new Map<string, { id: `T${number}`; subs: MitreSubtechnique[] }>();
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const rest = tag.slice('attack.'.length);
    const tactic = TACTICS[rest.replace(/_/g, '-')];
    if (tactic !== undefined) {
      if (!tactics.some((t) => t.id === tactic.id)) tactics.push(tactic);
      continue;
    }
    const m = /^t(\d{4})(?:\.(\d{3}))?$/.exec(rest);
    if (m === null) continue;
    const id = `T${m[1] as string}` as `T${number}`;
    const t = techniques.get(id) ?? { id, subs: [] };
    techniques.set(id, t);
    if (m[2] !== undefined) {
      const sub = `${id}.${m[2]}` as `T${number}.${number}`;
      if (!t.subs.some((s) => s.id === sub)) t.subs.push({ id: sub, name: sub });
    }
  }
  const list: MitreTechnique[] = [...techniques.values()].map((t) => ({ id: t.id, name: t.id, ...(t.subs.length === 0 ? {} : { subtechniques: t.subs }) }));
  return tactics.map((tactic) => ({ tactic, techniques: list }));
}
