/**
 * Every diagnostic code siemc reports, with what it means and what to do. `siemc explain CODE`
 * prints an entry; a test keeps this table and the codes used in src/ identical, so a code is
 * never reported without an explanation. Letters: R rule (authoring), L loading, TS TypeScript,
 * A approximation (A0 Query DSL, A05 EQL, A1 KQL, A2 SPL, A3 Sigma), I import, E emitting TypeScript, P publishing.
 */
export interface CodeInfo {
  readonly title: string;
  readonly explain: string;
}

export const CODES = {
  'SIEMC-L001': { title: 'a rule module failed to load', explain: 'The module threw while it ran, or an import could not be resolved. The message names the file; fix the module so that it runs.' },
  'SIEMC-L002': { title: 'a rule is built but not exported', explain: 'siemc finds rules through their modules\' exports: a defineRule(...) value that is not exported would be silently dropped. Export it (export const myRule = defineRule(...)).' },
  'SIEMC-R001': { title: 'rule id is not a UUID', explain: 'A rule id names its output folder and its published rule, so it must be a lower-case UUID. Generate one with `node -e "console.log(crypto.randomUUID())"`.' },
  'SIEMC-R002': { title: 'duplicate rule id', explain: 'Two rules share an id; each rule needs its own. The message names where the first one is defined.' },
  'SIEMC-R003': { title: 'rule name is empty', explain: 'Give the rule a name; SIEMs show it in alerts.' },
  'SIEMC-R004': { title: 'risk score out of range', explain: 'Risk scores are integers from 0 to 100.' },
  'SIEMC-R005': { title: 'version is not a positive integer', explain: 'Rule versions start at 1 and only grow.' },
  'SIEMC-R006': { title: 'maxSignals is not a positive integer', explain: 'The most alerts one run may raise: a whole number of at least 1.' },
  'SIEMC-R007': { title: 'index pattern list is empty', explain: 'Name the index patterns the rule searches, or leave `index` out to use the default (`logs-*`).' },
  'SIEMC-R008': { title: 'date is not a calendar date', explain: 'Dates are written YYYY-MM-DD and must exist (no 2025-02-30).' },
  'SIEMC-R009': { title: 'updated before created', explain: 'A rule cannot change before it was written: check `created` and `updated`.' },
  'SIEMC-R010': { title: 'all() or any() without conditions', explain: 'An empty all() would match everything and an empty any() nothing; both are almost always mistakes.' },
  'SIEMC-R011': { title: 'empty value list', explain: 'A match against an empty list matches nothing. Give values, or remove the clause.' },
  'SIEMC-R012': { title: 'regular expression outside the portable subset', explain: 'Rules compile to five engines; only the regex subset in docs/semantics.md means the same in all of them. The message names the construct.' },
  'SIEMC-R013': { title: 'empty range', explain: 'The lower bound is above the upper bound, so nothing can match.' },
  'SIEMC-R014': { title: 'invalid CIDR', explain: 'Write networks as a.b.c.d/n or an IPv6 prefix, e.g. 10.0.0.0/8.' },
  'SIEMC-R015': { title: 'unknown ECS field', explain: 'field() takes ECS field names. For a field outside ECS use customField(name, type).' },
  'SIEMC-R016': { title: 'number is not finite', explain: 'NaN and Infinity have no meaning in a search; use a finite number.' },
  'SIEMC-R017': { title: 'a NUL or lone surrogate in text', explain: 'No target can carry a NUL (C-based engines end strings there) or a lone UTF-16 surrogate (no UTF-8 file can hold one). Remove the character.' },
  'SIEMC-R018': { title: 'custom field name outside the common grammar', explain: 'customField() names are dot-joined segments of [A-Za-z_@][A-Za-z0-9_@-]*, a grammar Elasticsearch, EQL, KQL, SPL and Sigma all accept.' },
  'SIEMC-R019': { title: 'not a condition', explain: 'A rule query and the arguments of all(), any() and not() must be conditions built with field(...), all(...), any(...) or not(...). Typed rules cannot get this wrong; plain JavaScript can.' },
  'SIEMC-R020': { title: 'MITRE tactic id malformed', explain: 'Tactic ids look like TA0011.' },
  'SIEMC-R021': { title: 'MITRE technique id malformed', explain: 'Technique ids look like T1102.' },
  'SIEMC-R022': { title: 'MITRE sub-technique id malformed', explain: 'Sub-technique ids extend their technique: T1568.002 under T1568.' },
  'SIEMC-R023': { title: 'MITRE list malformed', explain: 'mitre is a list of { tactic: { id, name }, techniques: [{ id, name, subtechniques? }] }.' },
  'SIEMC-R030': { title: 'rule has no test events', explain: 'Test events pin what a rule means: add at least one event it must match and, ideally, one it must not.' },
  'SIEMC-R031': { title: 'duplicate test name', explain: 'Each test event of a rule needs its own name, so a failure names one event.' },
  'SIEMC-R032': { title: 'a test event gets the wrong verdict', explain: 'The reference evaluator (docs/semantics.md) disagrees with the expected verdict: either the query or the test is wrong. `siemc eval` shows verdicts for events.' },
  'SIEMC-R033': { title: 'test events malformed', explain: 'tests is a list of { name, expect: "match" | "no match", event: {...} }.' },
  'SIEMC-R040': { title: 'unknown severity', explain: 'Severity is one of low, medium, high, critical.' },
  'SIEMC-R041': { title: 'schedule interval malformed', explain: 'schedule is { interval, from }; the interval is a whole number of s, m, h or d, like "5m".' },
  'SIEMC-R042': { title: 'look-back malformed', explain: 'schedule.from is date math like "now-9m".' },
  'SIEMC-R043': { title: 'a text field is not a string', explain: 'name, description, license and note are strings.' },
  'SIEMC-R044': { title: 'a list field is not a list of strings', explain: 'author, index, tags, references and falsePositives are arrays of strings; index patterns are not empty.' },
  'SIEMC-R045': { title: 'an invisible character in metadata', explain: 'Control, bidi and zero-width characters cannot be seen in a review; write them as escapes in the source, or remove them.' },
  'SIEMC-R048': { title: 'status or language outside its list', explain: 'status is one of experimental (the default), test, stable, deprecated, unsupported (Sigma\'s words); language, the language of the published Kibana rule, is eql (the default) or kql.' },
  'SIEMC-R047': { title: 'unknown rule field', explain: 'A key defineRule does not know, most often a misspelling (riskscore for riskScore). Typed rules get this from the type checker.' },
  'SIEMC-A011': { title: 'Query DSL: CIDR on a field that is not ip', explain: 'Elasticsearch matches networks only on ip fields; on other types the network is compared as text.' },
  'SIEMC-A051': { title: 'EQL: CIDR on a field that is not ip', explain: 'cidrMatch() needs an ip field; on other types the network is compared as text.' },
  'SIEMC-A052': { title: 'EQL: a two-sided range is two comparisons', explain: 'On a multi-valued field each bound may hold for a different value ({"n": [0, 10]} satisfies n >= 1 and n <= 5), where the IR needs one value within both bounds. More events match.' },
  'SIEMC-A053': { title: 'EQL: a lone surrogate', explain: 'EQL cannot escape a lone UTF-16 surrogate; it is written as U+FFFD. Rules from the DSL cannot hold one (SIEMC-R017).' },
  'SIEMC-A101': { title: 'KQL: no case-insensitive matching', explain: 'KQL on keyword fields compares case-sensitively, so a case-insensitive clause compares case-sensitively: other spellings of the same letters no longer match.' },
  'SIEMC-A102': { title: 'KQL: no single-character wildcard', explain: 'KQL has no `?` wildcard, so `?` is written as `*`, which also matches zero or several characters.' },
  'SIEMC-A103': { title: 'KQL: wildcard value with whitespace', explain: "Kibana sends wildcard values through query_string, which splits on whitespace; the value's words are matched separately." },
  'SIEMC-A104': { title: 'KQL: leading or trailing whitespace is trimmed', explain: "Kibana's parser trims whitespace at the ends of an unquoted wildcard value, so it is written as `*`." },
  'SIEMC-A105': { title: "KQL: Kibana's internal wildcard marker in a value", explain: 'Kibana uses `@kuery-wildcard@` internally for `*`; a value containing it has its `@` read as wildcards.' },
  'SIEMC-A106': { title: 'KQL: no regular expressions', explain: 'KQL has no regex syntax, so the clause is written as `field: *` (the field exists): more events match.' },
  'SIEMC-A107': { title: 'KQL: CIDR on a field that is not ip', explain: 'Networks match only on ip fields; on other types the network is compared as text.' },
  'SIEMC-A108': { title: 'KQL: a two-sided range is two comparisons', explain: 'As SIEMC-A052: on a multi-valued field each bound may hold for a different value.' },
  'SIEMC-A201': { title: 'SPL: index pattern without a Splunk source', explain: 'Map the rule\'s Elasticsearch index pattern to a Splunk index and sourcetype in siemc.config.json (splunk.sources); until then the search runs over index=*.' },
  'SIEMC-A202': { title: 'SPL: field name SPL cannot carry', explain: 'A quote, backslash or control character in a field name cannot be written reliably in SPL.' },
  'SIEMC-A203': { title: 'SPL: regex construct passed to PCRE as written', explain: 'The construct is outside the portable subset; PCRE may read it differently from the IR.' },
  'SIEMC-A204': { title: 'SPL: IPv4 networks and IPv4-mapped IPv6 addresses', explain: 'The IR (like Elasticsearch) puts ::ffff:10.1.2.3 inside 10.0.0.0/8; Splunk compares IPv4 networks with IPv4 text only. Fewer events match.' },
  'SIEMC-A205': { title: 'SPL: CIDR on a field that is not ip', explain: 'On a field that is not ip, the network is compared as text.' },
  'SIEMC-A206': { title: 'SPL: a lone surrogate', explain: 'PCRE refuses a lone UTF-16 surrogate; it is written as U+FFFD. Rules from the DSL cannot hold one (SIEMC-R017).' },
  'SIEMC-A301': { title: 'Sigma: regex reading differs in PCRE', explain: "Sigma backends pass regexes to their engine; PCRE's `$` also matches before a final newline, and case-insensitive classes are written out." },
  'SIEMC-A302': { title: 'Sigma: regex construct PCRE reads differently', explain: 'The message names the construct; the Sigma rule may match other values than the IR.' },
  'SIEMC-A303': { title: 'Sigma: Unicode case folding', explain: 'Sigma values ignore case over all of Unicode; the IR folds ASCII letters only. Values with non-ASCII cased letters match more.' },
  'SIEMC-A304': { title: 'Sigma: a range without bounds', explain: 'Any numeric value is written as `|exists`, which also accepts non-numeric values.' },
  'SIEMC-A305': { title: 'Sigma: a field name with "|"', explain: 'Sigma reads `|` in a detection key as a modifier separator, so such a field cannot be named.' },
  'SIEMC-A306': { title: 'Sigma: k, s and i fold with non-ASCII letters', explain: "Sigma's Unicode case folding pairs k, s and i with the Kelvin sign, the long s and the dotless i. Said once per rule." },
  'SIEMC-A307': { title: 'Sigma: IPv4 networks and IPv4-mapped IPv6 addresses', explain: 'As SIEMC-A204, for Sigma backends.' },
  'SIEMC-A308': { title: 'Sigma: a two-sided range is two conditions', explain: 'As SIEMC-A052: on a multi-valued field each bound may hold for a different value.' },
  'SIEMC-A309': { title: 'Sigma: CIDR on a field that is not ip', explain: 'On a field that is not ip, the network is compared as text.' },
  'SIEMC-A310': { title: 'portable Sigma: a case-sensitive value matched ignoring case', explain: "pySigma's Splunk and Lucene backends refuse `|cased`, so portable Sigma (publish.sigma.mode, the default for siemc publish) writes the value without it: values that differ only in case match too (fewer events where the clause sits under not). Choose publish.sigma.mode \"exact\" to keep `|cased`; SIEMC-P004 then names the backends that refuse the rule." },
  'SIEMC-E001': { title: 'no DSL spelling for an imported query', explain: 'The rule is not written as TypeScript: its query has IR the DSL cannot build with the same meaning (a string match on an ip field, a range with both an exclusive and another bound, a constant true or false, a NUL or lone surrogate, a field name customField() refuses ...). docs/emit.md lists them. The rule still compiles from its source format.' },
  'SIEMC-E002': { title: 'an imported query matches no event', explain: 'No event can satisfy the query, so only non-matching test events were generated. The rule never alerts: check the source rule.' },
  'SIEMC-E003': { title: 'an imported query matches every event', explain: 'Every event satisfies the query, so no non-matching test event was generated. The rule alerts on everything: check the source rule.' },
  'SIEMC-E004': { title: 'an imported rule would not load', explain: "The rule is not written as TypeScript because the loader would reject it (the message names the rule check, such as hidden characters in metadata, SIEMC-R045). Fix the source rule's metadata." },
  'SIEMC-I001': { title: 'an importer failed on a file', explain: 'A bug in siemc: the importer threw instead of reporting a diagnostic. Please report it with the file.' },
  'SIEMC-I002': { title: 'duplicate rule id in an import', explain: 'Two imported files carry the same rule id; the first is kept.' },
  'SIEMC-I003': { title: 'compiling an imported rule failed', explain: 'A bug in siemc: a backend threw on the rule. Please report it with the rule.' },
  'SIEMC-I101': { title: 'Sigma: not valid YAML', explain: 'The file does not parse as YAML (read as YAML 1.1, as PyYAML and so pySigma read it). The message names the first error and where it is.' },
  'SIEMC-I102': { title: 'Sigma: not a rule of the expected shape', explain: 'A Sigma rule is a map with title, id, logsource and detection; a detection maps selection names to maps or lists, with a condition; field values are scalars or lists of scalars. The message names what is missing or misshapen.' },
  'SIEMC-I103': { title: 'Sigma: a correlation rule', explain: 'Correlation rules (event_count, value_count, temporal) count or order the matches of other rules over time; the IR describes one event at a time, so they are not imported.' },
  'SIEMC-I104': { title: 'Sigma: a filter document', explain: 'Sigma filters change other rules when those are converted. Apply the filter to the rules it names (add its conditions as `and not`) and import the result.' },
  'SIEMC-I105': { title: 'Sigma: condition syntax', explain: 'Conditions combine selection names with and, or, not, parentheses, `1 of x*`, `all of x*`, `1 of them` and `all of them`. The message names the offending word or the unknown selection.' },
  'SIEMC-I106': { title: 'Sigma: modifier problem', explain: "An unknown modifier, or one applied where pySigma refuses it: base64 of a value with wildcards, re or cidr after other modifiers, a comparison of a value that is not a number, wide on non-ASCII text, or a windash expansion beyond 4096 variants." },
  'SIEMC-I107': { title: 'Sigma: field reference', explain: '`|fieldref` compares two fields of the same event. IR leaves compare a field with constants only, so the rule is not imported.' },
  'SIEMC-I108': { title: 'Sigma: keyword search', explain: 'Values without a field search the whole event. By default they are imported as a case-insensitive "contains" on ECS `message` (a warning: events whose text lives in other fields are missed); with the importer option keywords: refuse such rules are not imported.' },
  'SIEMC-I109': { title: 'Sigma: regular expression without a portable form', explain: 'Sigma regexes are rewritten into the portable subset where that is exact (anchors, `.` and newlines, \\d \\w \\s, lazy quantifiers, named groups, leading flags). Word boundaries, lookaround, backreferences, possessive quantifiers and anchors in the middle are not; the message names the construct.' },
  'SIEMC-I110': { title: 'Sigma: field without an ECS mapping', explain: "No pySigma ECS pipeline maps this Sigma field for the rule's log source, so it is kept under its Sigma name as a keyword field. Map it in your data or edit the imported rule." },
  'SIEMC-I111': { title: 'Sigma: aggregation or timeframe', explain: 'Sigma 1.0 aggregations (`| count() by ...`) and `timeframe` belong to correlation rules; a condition with an aggregation is not imported, a timeframe alone is ignored.' },
  'SIEMC-I112': { title: 'Sigma: metadata problem', explain: 'The id is missing or not a UUID (the rule is not imported: outputs are named by it), or a level or date could not be read (imported with a default, or without the date). Rules of one multi-document file that share a global id get derived ids.' },
  'SIEMC-I113': { title: 'Sigma: modifier needs a pipeline or timestamps', explain: '`|expand` placeholders are filled by a processing pipeline, and `|minute` ... `|year` compare parts of a timestamp; neither has an IR form.' },
  'SIEMC-I114': { title: 'Sigma: value does not fit the mapped field type', explain: 'The Sigma field maps to a numeric or boolean ECS field, but the value is a pattern or text of another kind.' },
  'SIEMC-I115': { title: 'Sigma: multi-document action', explain: 'Multi-document Sigma files know action: global, reset and repeat; repeat needs a rule before it.' },
  'SIEMC-I116': { title: 'Sigma: case of non-ASCII letters', explain: 'Sigma ignores case across Unicode; the IR folds ASCII letters only (docs/semantics.md). A value with non-ASCII letters no longer matches its other-case spellings (fewer events).' },
  'SIEMC-I117': { title: 'Sigma: a field name no target can write', explain: 'Field names are dotted names of segments [A-Za-z_@][A-Za-z0-9_@-]* (the customField grammar), which every target writes the same way. Rename the field in the Sigma rule.' },
  'SIEMC-P001': { title: 'detection-rules: no creation date', explain: 'detection-rules requires metadata.creation_date; the rule has no `created` date, so its TOML file is written without one. Add created: YYYY-MM-DD to the rule.' },
  'SIEMC-P002': { title: 'Splunk: two rules of one name', explain: 'Splunk names saved searches by their name and merges two stanzas of one name into one search. Rename one of the rules; nothing is published until then.' },
  'SIEMC-P003': { title: 'Sigma: a field without a taxonomy name', explain: "The rule's log source has Sigma taxonomy names (`Image`, `QueryName`, ...) but none for this field, so the published Sigma rule names it by its ECS name; SigmaHQ's validators report it as an unknown field. Map it in your pySigma pipeline, or accept the warning." },
  'SIEMC-P004': { title: 'Sigma: pySigma backends that refuse a published rule', explain: "pySigma's Splunk and Lucene backends refuse `|cased` on a single value and its EQL backend refuses `|exists`. The message names the fields. publish.sigma.mode \"portable\" (the default) writes forms all three convert, saying what that costs (SIEMC-A310)." },
  'SIEMC-P005': { title: "Sigma: pySigma converts a published rule to another search", explain: "Measured with pySigma 1.5.1: its Splunk, Lucene and EQL backends drop `|cased` from a list of values without an error and match the values ignoring case (more events), and its EQL backend compares a `|cased` value holding a wildcard with `==`, reading the wildcard literally (fewer events). Exact Sigma keeps `|cased`; publish.sigma.mode \"portable\" (the default) writes values without it (SIEMC-A310)." },
  'SIEMC-I201': { title: 'not an Elastic detection rule', explain: 'The file is not valid TOML, has no [rule] table, or lacks rule_id, name, description or query. The message names the line.' },
  'SIEMC-I202': { title: 'Elastic rule type not imported', explain: 'Only single-event EQL rules and KQL query, new_terms and threshold rules are imported; EQL sequences, samples and joins, ES|QL, machine-learning, indicator-match and Lucene rules are not (the message names why). docs/importing-elastic.md.' },
  'SIEMC-I203': { title: 'Elastic rule query not imported', explain: 'The query does not parse, or uses a construct the frontend cannot import with its meaning (a date or text range, a field name pattern, a nested query, length(), a field compared with a field ...). The location points at the clause. If a range is on a numeric integration field, declare its type in siemc.config.json fields.' },
  'SIEMC-I204': { title: 'KQL wildcard value with whitespace', explain: "Kibana sends a wildcard value as query_string, whose parser searches each word separately (any one matching): `f: a b*` is `f == \"a\" or f like \"b*\"`. The import keeps that meaning; quote or escape the value in the source rule if that is not what it meant." },
  'SIEMC-I205': { title: 'KQL value on an analysed text field', explain: 'On text and match_only_text fields Elasticsearch matches analysed words; siemc compares the whole value, as on the keyword sub-field.' },
  'SIEMC-I206': { title: 'fields read as keyword', explain: 'The rule uses fields that are neither in ECS nor declared in siemc.config.json fields; they are read as keyword. Declare numeric, boolean or ip fields there so values and ranges keep their meaning.' },
  'SIEMC-I207': { title: 'Elastic rule metadata value dropped', explain: 'A [rule] value had the wrong shape (severity, interval, from, risk_score, max_signals, index); the documented default applies.' },
  'SIEMC-I208': { title: 'Kibana filter not imported', explain: "The rule's filters use a form other than exists, wildcard, term or match_phrase on one field; the rule is not imported, since dropping a filter would widen it." },
  'SIEMC-I209': { title: 'backslash before an ordinary character in a filter', explain: 'In an Elasticsearch wildcard value a backslash escapes the next character, so `C:\\Program` is `C:Program`. The import keeps that meaning, which is probably not what the rule meant.' },
  'SIEMC-I210': { title: 'new_terms or threshold rule', explain: 'Outputs select the events the query matches; Kibana alerts only on new term values or on large enough groups, so the alerts are a subset of the hits. The parameters are kept in rule.elastic.' },
  'SIEMC-I211': { title: 'exception lists not imported', explain: "The rule's exception lists live in Kibana; outputs match events the exceptions would suppress." },
} as const satisfies Readonly<Record<string, CodeInfo>>;

export type Code = keyof typeof CODES;
/** The codes a backend may report: approximations only (the compile step adds rule and target). */
export type ApproximationCode = Extract<Code, `SIEMC-A${string}`>;
/** Every code a diagnostic can carry: the table's, and TypeScript's own under their number. */
export type DiagnosticCode = Code | `SIEMC-TS${number}`;

/** TypeScript's own diagnostics keep their number: SIEMC-TS<n> is TypeScript's TS<n>. */
export function codeInfo(code: string): CodeInfo | undefined {
  if (code in CODES) return CODES[code as Code];
  const ts = /^SIEMC-TS(\d+)$/.exec(code);
  if (ts !== null) return { title: `TypeScript error TS${ts[1]}`, explain: 'A type error in a rule source: the rule does not compile as written. The message is TypeScript\'s own.' };
  return undefined;
}
