/**
 * detection-rules TOML: parses back (smol-toml) to the rule's values, and is laid out as their
 * formatter lays out the files in their repository (the layout rules are in
 * src/publish/detection-rules/toml.ts; these tests hold our output to them).
 */
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { publishRules } from '../../src/publish/publish.js';
import { tomlDocument, wrapText } from '../../src/publish/detection-rules/toml.js';
import { REFERENCE_RULE_ID, referenceRule } from '../support/rules.js';
import { adversarialString } from '../support/arbitraries.js';

const PATH = 'detection-rules/rules/windows/command_and_control_connection_to_commonly_abused_web_services.toml';
const collapse = (s: string): string => s.split(/\s+/).filter((w) => w !== '').join(' ');

describe('detection-rules TOML', async () => {
  const reference = await referenceRule();
  const { files } = publishRules([reference], { config: {} });
  const text = files.get(PATH) ?? '';
  const toml = parse(text) as { metadata: Record<string, unknown>; rule: Record<string, unknown> & { threat: { framework: string; tactic: { id: string }; technique: { id: string; subtechnique?: { id: string }[] }[] }[] } };

  it('sits where detection-rules keeps Windows rules, named by tactic and name', () => {
    expect(files.has(PATH)).toBe(true);
  });

  it("parses back to the rule's values", () => {
    expect(toml.metadata).toEqual({ creation_date: '2020/11/04', maturity: 'production', updated_date: '2020/11/04' });
    const eql = readFileSync(new URL(`../../snapshots/${REFERENCE_RULE_ID}/eql.eql`, import.meta.url), 'utf8');
    const { threat, description, false_positives, ...rule } = toml.rule;
    expect(rule).toEqual({
      author: ['Elastic'],
      from: 'now-9m',
      index: ['logs-endpoint.events.network-*'],
      interval: '5m',
      language: 'eql',
      license: 'Elastic License v2',
      max_signals: 100,
      name: reference.name,
      note: reference.note,
      risk_score: 21,
      rule_id: REFERENCE_RULE_ID,
      severity: 'low',
      tags: [...reference.tags],
      type: 'eql',
      query: eql,
    });
    // Free text is wrapped; detection-rules collapses its whitespace when it loads a rule.
    expect(collapse(String(description))).toBe(collapse(reference.description));
    expect((false_positives as string[]).map(collapse)).toEqual(reference.falsePositives.map(collapse));
    expect(threat.map((t) => [t.framework, t.tactic.id, t.technique.flatMap((x) => [x.id, ...(x.subtechnique ?? []).map((s) => s.id)])])).toEqual([
      ['MITRE ATT&CK', 'TA0011', ['T1102', 'T1568', 'T1568.002']],
      ['MITRE ATT&CK', 'TA0010', ['T1567', 'T1567.001', 'T1567.002']],
    ]);
    expect('version' in toml.rule).toBe(false);
  });

  it('is laid out as their formatter writes it', () => {
    const keys = [...text.matchAll(/^(\w+) = /gm)].map((m) => m[1]);
    const ruleKeys = keys.slice(3, keys.indexOf('query') + 1);
    expect(keys.slice(0, 3)).toEqual(['creation_date', 'maturity', 'updated_date']);
    expect(ruleKeys.slice(0, -1)).toEqual([...ruleKeys.slice(0, -1)].sort());
    expect(ruleKeys.at(-1)).toBe('query');
    expect(text.startsWith('[metadata]\ncreation_date = "2020/11/04"\n')).toBe(true);
    expect(text).toContain('updated_date = "2020/11/04"\n\n[rule]\nauthor = ["Elastic"]\ndescription = """\nAdversaries may implement');
    expect(text).toContain('type = "eql"\n\nquery = \'\'\'\nnetwork where host.os.type == "windows"\n');
    expect(text).toContain("\n'''\n\n\n[[rule.threat]]\nframework = \"MITRE ATT&CK\"\n\n[[rule.threat.technique]]\nid = \"T1102\"\n");
    expect(text).toContain('reference = "https://attack.mitre.org/techniques/T1568/"\n\n[[rule.threat.technique.subtechnique]]\nid = "T1568.002"\n');
    expect(text).toContain('reference = "https://attack.mitre.org/techniques/T1568/002/"\n\n[rule.threat.tactic]\nid = "TA0011"\n');
    expect(text).toContain('tags = [\n    "Domain: Endpoint",\n    "OS: Windows",\n');
    expect(text).toContain('    "Data Source: Elastic Defend",\n]\n');
    expect(text).toContain('note = """## Triage and analysis\n');
    expect(text.endsWith('reference = "https://attack.mitre.org/tactics/TA0010/"\n')).toBe(true);
    for (const line of text.slice(text.indexOf('description = """'), text.indexOf('false_positives')).split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('wraps like Python textwrap at 120 columns', () => {
    const lines = wrapText(`${'word '.repeat(30)}${'x'.repeat(130)} end`);
    expect(lines[0]).toBe(`${'word '.repeat(23)}word`);
    expect(lines.at(-2)).toBe('x'.repeat(130));
    expect(lines.at(-1)).toBe('end');
  });

  it('any text reads back: Markdown and queries exactly, free text up to whitespace', () => {
    fc.assert(
      fc.property(adversarialString, adversarialString, fc.array(adversarialString, { maxLength: 4 }), adversarialString, (note, query, list, name) => {
        const doc = tomlDocument([{ name: 'rule', values: { note, name, tags: list }, markdown: ['note'], query, arrays: [] }]);
        const back = parse(doc) as { rule: { note: string; name: string; tags: string[]; query: string } };
        const sane = (s: string): string => s.replace(/\p{Cs}/gu, '\uFFFD');
        expect(back.rule.note).toBe(sane(note));
        expect(back.rule.query).toBe(sane(query).trim() === '' ? undefined : `${sane(query).trim()}\n`);
        expect(collapse(back.rule.name)).toBe(collapse(sane(name)));
        expect(back.rule.tags.map(collapse)).toEqual(list.map((s) => collapse(sane(s))));
      }),
      { numRuns: 3_000 },
    );
  });
});
