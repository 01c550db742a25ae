/**
 * Splunk SPL: `search index=... <prefilter> | where <exact>`.
 *
 * `search` is fast but cannot say everything the IR says: it ignores case (and may fold
 * Unicode, which the IR does not), has no one-character wildcard and no way to write a literal
 * `*`. So the search part is a prefilter that is never narrower than the rule (search.ts), and
 * the `| where` clause, in case-sensitive eval with anchored regexes, states the rule exactly
 * (where.ts). Top-level conjuncts that `search` already says exactly are left out of `where`;
 * when the whole query is exact in `search`, there is no `where` at all.
 */
import { runtimeMetadata } from '../../model/defaults.js';
import { leavesOf } from '../../ir/fold.js';
import type { Node } from '../../ir/nodes.js';
import { cidrOnNonIp, ipv4MappedCidr, loneSurrogate, INDENT_STEP } from '../common.js';
import type { Backend, BackendContext } from '../backend.js';
import { approximate as approximateSupport, exact } from '../capabilities.js';
import { approximate, renderSearch } from './search.js';
import { searchWord, splComment, unquotableField } from './strings.js';
import { renderWhere, toWhere } from './where.js';

const CASE_NOTE =
  '```(?i) folds ASCII letters; (?-i:[sS]) and (?-i:[kK]) keep it from also matching ſ and the Kelvin sign, as the rule requires```';

export const spl: Backend = {
  name: 'spl',
  fileName: 'spl.spl',
  title: 'Splunk SPL',
  capabilities: {
    'match.exact': exact('`search` prefilter ignoring case, then `| where match(f, "^...\\z")` (eval is case-sensitive); values without letters are exact in `search` alone'),
    'match.exact.ci': exact('`f="v"` in `search`; `| where match(f, "(?i)...")` as well when a letter could fold beyond ASCII (`i`, `k`, `s`, non-ASCII)'),
    'match.list': exact('`f IN (...)` in `search`, one value per line; in `where`, one `match()` per value'),
    'match.anyRun': exact('`*` in `search`; `.*` with `(?s)` in `where`'),
    'match.oneChar': exact('`search` has no one-character wildcard (`?` is literal): `*` in the prefilter, `.` in `| where match()`'),
    'match.glob.ci': exact('`search` ignores case; `(?i)` in `where` for ASCII letters, `(?-i:[sS])`, `(?-i:[kK])` and non-ASCII characters case-sensitive (the IR folds ASCII only)'),
    'match.literalGlobChar': exact('a literal `*` cannot be escaped in `search`: `*` (a wildcard) in the prefilter, `\\*` in `| where match()`; a literal `?` is plain text in `search`'),
    'match.whitespaceGlob': exact('double-quoted values'),
    'match.specialChars': exact(
      'double-quoted values with `\\\\` and `\\"`; control characters, bidi controls, zero-width and other invisible characters, and ' +
        'backticks become `*` in `search` and `\\x{..}` in `where` regexes (a lone surrogate, which PCRE refuses, is SIEMC-A206)',
    ),
    exists: exact('`f=*`; `NOT f=*` when negated (never `f!=*`); `isnotnull(f)`/`isnull(f)` in `where`'),
    not: exact('`NOT` (never `!=`, which drops events without the field); in `where`, leaves under `NOT` are guarded with `isnotnull(f)` because eval logic has null'),
    'equals.boolean': exact('`f=true` in `search` (a text comparison that ignores case), `| where match(f, "^true\\z")` for the exact text'),
    'equals.number': exact('`f>=n AND f<=n` in `search` (numeric comparison, not text), `| where f==n`'),
    range: exact('`f>n`, `f<=n` in `search`; with two bounds, `| where isnotnull(mvfilter(...))` so both hold for the same value'),
    cidr: approximateSupport('SIEMC-A204', 'narrowed', '`f="10.0.0.0/8"` in `search`, `cidrmatch()` in `where`; IPv4 networks may not match IPv4-mapped IPv6 addresses (SIEMC-A205 on non-ip fields)'),
    regex: exact('`| where match(f, "(?s)^(?:...)\\z")`: PCRE, anchored; `\\d \\w \\s` spelt as classes; a construct outside the portable subset is passed as written (SIEMC-A203)'),
    'regex.ci': exact('`(?i)` with the ASCII cases of `s`, `k`, classes and non-ASCII characters spelt out inside `(?-i:...)`'),
    'field.names': approximateSupport('SIEMC-A202', 'not expressible', 'bare names; a quote, backslash, control or invisible character cannot be written reliably'),
    source: approximateSupport('SIEMC-A201', 'widened', '`index=... sourcetype=...` from `splunk.sources` in siemc.config.json; `index=*` for an index pattern it does not map'),
  },
  compile(query, context) {
    checkLeaves(query, context);
    const { conjuncts, label } = topLevel(query);
    const searchLines: string[] = [];
    const whereParts: string[] = [];
    for (const c of conjuncts) {
      const a = approximate(c);
      if (a.over.kind !== 'all') searchLines.push(renderSearch(a.over, INDENT_STEP));
      if (!a.exact) {
        const w = toWhere(c, false, {
          onRegexIssue: (node, issue) =>
            context.approximate({
              code: 'SIEMC-A203',
              message: `regex construct ${issue.construct} is outside the portable subset and passed to PCRE as written (${issue.why})`,
              node,
              direction: 'not expressible',
            }),
        });
        whereParts.push(renderWhere(w, INDENT_STEP));
      }
    }
    const head = `search ${sources(query, context)}${label === undefined ? '' : ` ${splComment(label)}`}`;
    const search = [head, ...searchLines.map((l) => `${INDENT_STEP}${l}`)].join('\n');
    const body = whereParts.join(`\n${INDENT_STEP}AND `);
    const note = body.includes('(?-i:') ? `\n${CASE_NOTE}` : '';
    const where = whereParts.length === 0 ? '' : `${note}\n| where ${body}`;
    return `${search}${where}\n`;
  },
};

/** A top-level `and` is written one conjunct per line (implicit AND in `search`). */
function topLevel(query: Node): { conjuncts: readonly Node[]; label: string | undefined } {
  return query.kind === 'and' ? { conjuncts: query.children, label: query.label } : { conjuncts: [query], label: undefined };
}

/** `index=... sourcetype=...` for the rule's index patterns, from siemc.config.json. */
function sources(query: Node, context: BackendContext): string {
  const mapping = context.config.splunk?.sources ?? {};
  const parts: string[] = [];
  for (const pattern of runtimeMetadata(context.rule).index) {
    const source = mapping[pattern];
    if (source === undefined) {
      context.approximate({
        code: 'SIEMC-A201',
        message: `index pattern "${pattern}" has no Splunk source in siemc.config.json (splunk.sources); searching index=*`,
        node: query,
        direction: 'widened',
      });
      parts.push('index=*');
    } else {
      const sourcetype = source.sourcetype === undefined ? '' : ` sourcetype=${searchWord(source.sourcetype)}`;
      parts.push(`index=${searchWord(source.index)}${sourcetype}`);
    }
  }
  if (parts.length === 0) {
    context.approximate({ code: 'SIEMC-A201', message: 'the rule names no index pattern; searching index=*', node: query, direction: 'widened' });
    parts.push('index=*');
  }
  const unique = [...new Set(parts)];
  if (unique.length === 1) return unique[0] as string;
  // Parenthesised: in `search`, OR binds tighter than the implicit AND (S7).
  return `(${unique.map((p) => (p.includes(' ') ? `(${p})` : p)).join(' OR ')})`;
}

/** Per-leaf checks that do not depend on where the leaf is rendered (search or where). */
function checkLeaves(query: Node, context: BackendContext): void {
  for (const node of leavesOf(query)) {
    if (node.kind === 'cidr') {
      for (const a of [cidrOnNonIp(node, 'SIEMC-A205'), ipv4MappedCidr(node, 'SIEMC-A204')]) if (a !== undefined) context.approximate(a);
    }
    const surrogate = loneSurrogate(node, 'SIEMC-A206', 'SPL');
    if (surrogate !== undefined) context.approximate(surrogate);
    if (unquotableField(node.field.name)) {
      context.approximate({
        code: 'SIEMC-A202',
        message: `field name ${JSON.stringify(node.field.name)} has a quote, backslash, control or invisible character, which SPL field names cannot carry reliably`,
        node,
        direction: 'not expressible',
      });
    }
  }
}
