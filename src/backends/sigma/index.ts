/**
 * Sigma: a complete rule YAML (specification 2.x). Sigma values ignore case unless `|cased`,
 * `*`/`?` are wildcards with `\` escaping only `* ? \`, and `not` in the condition is a plain
 * complement, so the IR's string matching maps one to one, with two gaps: Sigma ignores case
 * over all of Unicode where the IR folds ASCII letters only (SIEMC-A303), and PCRE's `$` also
 * matches before a final newline (SIEMC-A301).
 * The YAML is built as nodes so that quoting is chosen per scalar: detection values and free
 * text single-quoted (the Sigma convention), identifiers plain, control characters double-quoted.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from '../../ir/nodes.js';
import type { Backend, BackendContext } from '../backend.js';
import { approximate, exact } from '../capabilities.js';
import { buildDetection, type Detection, type Value } from './detection.js';
import { attackTags, fieldNamer, impliedConditions, logSource, sigmaLevel, withoutImplied, type LogSource } from './metadata.js';
import { existsAsNullChecks } from './portable.js';
import { yamlEscape, yamlQuoteStyle } from './strings.js';
import { replaceInvisible, showInvisible } from '../../util/invisible.js';

export const sigma: Backend = {
  name: 'sigma',
  fileName: 'sigma.yml',
  title: 'Sigma rule',
  capabilities: {
    'match.exact': exact('`f|cased: value`; with `sigma.mode: portable` (published Sigma by default) `f: value`, matched ignoring case (SIEMC-A310)'),
    'match.exact.ci': approximate(
      'SIEMC-A303',
      'widened',
      '`f: value` (Sigma values ignore case); Sigma folds all of Unicode, the IR ASCII letters only: values with non-ASCII cased letters match more (per clause); `k`, `s`, `i` pair with the Kelvin sign, long s and dotless i (SIEMC-A306, once per rule)',
    ),
    'match.list': exact('a YAML list value (items are OR-ed), `f|cased:` for case-sensitive lists'),
    'match.anyRun': exact('`*`'),
    'match.oneChar': exact('`?`'),
    'match.glob.ci': approximate('SIEMC-A303', 'widened', 'wildcard values without `|cased`; Unicode case folding as for `match.exact.ci`'),
    'match.literalGlobChar': exact('`\\*`, `\\?`'),
    'match.whitespaceGlob': exact('single-quoted YAML scalars'),
    'match.specialChars': exact(
      "single-quoted YAML (`''` for a quote); double-quoted YAML escapes (`\\x..`, `\\u....`) for control characters, bidi controls, " +
        'zero-width and other invisible characters; a backslash is doubled only before `*`, `?`, `\\` or at the end',
    ),
    exists: exact('`f|exists: true`; portable: `not f: null` (Sigma\'s null test, which pySigma\'s EQL backend converts)'),
    not: exact('`not` in the condition over `filter_*` selections (plain complement)'),
    'equals.boolean': exact('`f: true`'),
    'equals.number': exact('`f: 5`'),
    range: approximate('SIEMC-A308', 'widened', '`|gt`, `|gte`, `|lt`, `|lte`; two bounds are two conditions, which on a multi-valued field may hold for different values; no bounds at all is `|exists` (SIEMC-A304)'),
    cidr: approximate('SIEMC-A307', 'narrowed', '`|cidr`; IPv4 networks may not match IPv4-mapped IPv6 addresses (SIEMC-A309 on non-ip fields)'),
    regex: approximate(
      'SIEMC-A301',
      'widened',
      '`|re` anchored as `^(?:...)$`, `|s` when the regex has a `.`; PCRE `$` also matches before a final newline (SIEMC-A302 for constructs PCRE reads differently)',
    ),
    'regex.ci': approximate('SIEMC-A301', 'widened', 'ASCII case written out as `[aA]` classes (`|i` would fold all of Unicode), otherwise as `regex`'),
    'field.names': approximate('SIEMC-A305', 'not expressible', 'detection keys; Sigma reads `|` in a key as a modifier, so such a field cannot be named'),
    source: exact('`logsource` from the rule\'s log source'),
  },
  compile(query, context) {
    return renderRule(query, context);
  },
};

function renderRule(query: Node, context: BackendContext): string {
  const { rule } = context;
  const settings = context.config.sigma ?? {};
  const source = logSource(query);
  const sigmahq = settings.idiom === 'sigmahq';
  const body = sigmahq ? withoutImplied(query, impliedConditions(query, source)) : query;
  const portable = settings.mode === 'portable';
  const nullChecks = portable ? existsAsNullChecks(body) : undefined;
  let foldingClauses = 0;
  const detection = buildDetection(nullChecks?.query ?? body, {
    field: fieldNamer(settings.fieldNames ?? 'ecs', source),
    approximate: (a) => context.approximate(a),
    noteAsciiFolding: () => foldingClauses++,
    portable,
    isNullCheck: (node) => nullChecks?.has(node) === true,
    wildcardModifiers: sigmahq,
  });
  if (foldingClauses > 0) {
    context.approximate({
      code: 'SIEMC-A306',
      message: `${foldingClauses} case-insensitive clause(s) contain k, s or i, which Sigma's Unicode case folding also pairs with the Kelvin sign (U+212A), the long s (U+017F) and the dotless i (U+0131); the IR folds ASCII only. Events holding those characters may match differently (more events where the clause is positive, fewer under not).`,
      node: query,
      direction: 'not expressible',
    });
  }
  const doc = new Document();
  const root = new YAMLMap();
  const set = (key: string, value: unknown): void => {
    root.items.push(new Pair(new Scalar(key), value));
  };
  set('title', text(rule.name));
  set('id', plain(rule.id));
  set('status', plain('stable'));
  set('description', text(rule.description));
  if (rule.references.length > 0) set('references', seq(rule.references.map(text)));
  set('author', text(rule.author.join(', ')));
  set('license', text(rule.license));
  if (rule.created !== undefined) set('date', plain(rule.created));
  if (rule.updated !== undefined) set('modified', plain(rule.updated));
  const tags = attackTags(rule.mitre);
  if (tags.length > 0) set('tags', seq(tags.map(plain)));
  set('logsource', logSourceNode(source));
  set('detection', detectionNode(detection));
  if (rule.falsePositives.length > 0) set('falsepositives', seq(rule.falsePositives.map(text)));
  set('level', plain(sigmaLevel(rule)));
  doc.contents = root;
  const yaml = doc.toString({ defaultKeyType: 'PLAIN', defaultStringType: 'QUOTE_SINGLE', lineWidth: 0, indentSeq: true });
  // The yaml package escapes only C0 controls inside double quotes. Every scalar holding an
  // invisible character is double-quoted (yamlQuoteStyle, keys included) and comments show them
  // as `<U+202E>`, so every one left in the text sits inside double quotes, where its YAML escape
  // reads back as the same character. (C0 left raw is the document's own newlines.)
  return replaceInvisible(yaml, (cp) => (cp < 0x20 ? String.fromCharCode(cp) : yamlEscape(cp)));
}

/** Free text or a Sigma value: single-quoted, double-quoted when it holds control characters. */
function text(value: string): Scalar {
  const s = new Scalar(value);
  s.type = yamlQuoteStyle(value);
  return s;
}

/** Identifiers (id, tags, level, names): plain; the yaml package still quotes one that would read as another type. */
function plain(value: string): Scalar {
  const s = new Scalar(value);
  s.type = 'PLAIN';
  return s;
}

function seq(items: readonly unknown[]): YAMLSeq {
  const s = new YAMLSeq();
  s.items.push(...items);
  return s;
}

function valueNode(value: Value): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return new Scalar(value);
  return seq(value.map(text));
}

function logSourceNode(source: LogSource): YAMLMap {
  const map = new YAMLMap();
  if (source.category !== undefined) map.items.push(new Pair(new Scalar('category'), plain(source.category)));
  if (source.product !== undefined) map.items.push(new Pair(new Scalar('product'), plain(source.product)));
  return map;
}

function detectionNode(detection: Detection): YAMLMap {
  const map = new YAMLMap();
  for (const selection of detection.selections) {
    const body = new YAMLMap();
    for (const entry of selection.entries) {
      const key = new Scalar(entry.key);
      // A key is plain unless it holds a character only double quotes can show (IR-level field names).
      if (yamlQuoteStyle(entry.key) === 'QUOTE_DOUBLE') key.type = 'QUOTE_DOUBLE';
      if (entry.comment !== undefined) key.commentBefore = comment(entry.comment);
      body.items.push(new Pair(key, valueNode(entry.value)));
    }
    const name = new Scalar(selection.name);
    if (selection.comment !== undefined) name.commentBefore = comment(selection.comment);
    map.items.push(new Pair(name, body));
  }
  map.items.push(new Pair(new Scalar('condition'), plain(detection.condition)));
  return map;
}

/**
 * YAML comment text: one `#` line per `\n`-separated line. Labels are free text: other line
 * breaks become spaces, and invisible characters show as `<U+202E>`.
 */
function comment(text: string): string {
  return text
    .split('\n')
    .map((line) => ` ${showInvisible(line.replace(/[\r\u0085\u2028\u2029]+/g, ' '))}`)
    .join('\n');
}
