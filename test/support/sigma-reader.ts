/**
 * Reads Sigma rule YAML back, written from the Sigma specification (2.x) and pySigma's
 * parser rather than from the backend, so tests can check what an emitted rule means:
 * - `readSigmaString` applies Sigma's escaping (`\` escapes only `*`, `?` and `\`; anywhere
 *   else, and at the end, it is a plain backslash) and returns an IR pattern;
 * - `evaluateSigma` runs the detection and condition over a JSON event: values ignore case
 *   unless `|cased` (over all of Unicode, per code point: the specification sets no limit and
 *   Splunk, pySigma's main target, folds Unicode), a map ANDs its entries, a list value ORs its
 *   items (ANDs with `|all`), a selection on a missing field is false, and `not` is a plain
 *   complement.
 * Field access, CIDR and number parsing reuse the project's definitions of those (src/eval),
 * since they describe the events rather than the Sigma language.
 */
import { parse } from 'yaml';
import { cidrContains } from '../../src/ir/cidr.js';
import { asBoolean, asKeyword, asNumber, fieldValues, type Json, type Scalar } from '../../src/eval/values.js';
import { ANY_RUN, ONE_CHAR, literalPart, makePattern, type Pattern, type PatternPart } from '../../src/ir/pattern.js';

export interface DetectionItem {
  readonly field: string;
  readonly modifiers: readonly string[];
  /** Raw YAML values: strings, numbers, booleans or null. */
  readonly values: readonly unknown[];
}

/** A selection is a map (items AND-ed) or a list of maps (OR-ed). */
export interface SelectionDef {
  readonly maps: readonly (readonly DetectionItem[])[];
}

export interface SigmaRuleDoc {
  /** The whole document as parsed YAML. */
  readonly document: { readonly [key: string]: unknown };
  readonly selections: ReadonlyMap<string, SelectionDef>;
  readonly condition: string;
}

const KNOWN_MODIFIERS = new Set(['cased', 'exists', 're', 'i', 'm', 's', 'gt', 'gte', 'lt', 'lte', 'cidr', 'contains', 'startswith', 'endswith', 'all']);

export function parseSigmaRule(text: string): SigmaRuleDoc {
  const document = parse(text) as { [key: string]: unknown };
  const detection = document.detection as { [key: string]: unknown } | undefined;
  if (detection === undefined || typeof detection !== 'object') throw new Error('no detection section');
  const condition = detection.condition;
  if (typeof condition !== 'string') throw new Error('detection.condition must be one string');
  const selections = new Map<string, SelectionDef>();
  for (const [name, body] of Object.entries(detection)) {
    if (name === 'condition') continue;
    const maps = Array.isArray(body) ? body : [body];
    selections.set(name, {
      maps: maps.map((m) => {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new Error(`selection ${name}: keyword lists are not supported here`);
        return Object.entries(m as { [k: string]: unknown }).map(([key, value]) => detectionItem(key, value));
      }),
    });
  }
  return { document, selections, condition };
}

function detectionItem(key: string, value: unknown): DetectionItem {
  const [field, ...modifiers] = key.split('|');
  for (const m of modifiers) if (!KNOWN_MODIFIERS.has(m)) throw new Error(`unknown modifier ${m} in ${key}`);
  return { field: field as string, modifiers, values: Array.isArray(value) ? value : [value] };
}

/** Sigma value text -> pattern, exactly as pySigma's SigmaString parser reads it. */
export function readSigmaString(text: string): Pattern {
  const parts: PatternPart[] = [];
  let literal = '';
  let escaped = false;
  for (const ch of text) {
    if (escaped) {
      // `\*`, `\?`, `\\` are the escaped character; `\` before anything else is itself.
      literal += ch === '*' || ch === '?' || ch === '\\' ? ch : `\\${ch}`;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === '*' || ch === '?') {
      parts.push(literalPart(literal), ch === '*' ? ANY_RUN : ONE_CHAR);
      literal = '';
    } else {
      literal += ch;
    }
  }
  if (escaped) literal += '\\';
  parts.push(literalPart(literal));
  return makePattern(parts);
}

/**
 * A Sigma (PCRE) regex as a JavaScript RegExp with the same search semantics, for the
 * constructs PCRE and JavaScript spell differently: `\x{H}`, `$` (PCRE's also matches before a
 * final newline unless multi-line), `\A`, `\z`, `\Z`.
 */
export function pcreToRegExp(source: string, flags: { readonly i: boolean; readonly m: boolean; readonly s: boolean }): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const rest = source.slice(i + 1);
      const braced = /^x\{([0-9a-fA-F]+)\}/.exec(rest);
      if (braced !== null) {
        out += `\\u{${braced[1] as string}}`;
        i += braced[0].length;
      } else if (!inClass && rest[0] === 'A') {
        out += '(?<![\\s\\S])';
        i++;
      } else if (!inClass && rest[0] === 'z') {
        out += '(?![\\s\\S])';
        i++;
      } else if (!inClass && rest[0] === 'Z') {
        out += '(?=\\n?(?![\\s\\S]))';
        i++;
      } else {
        out += ch + (rest[0] ?? '');
        i++;
      }
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` first in a PCRE class is a member.
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '$' && !flags.m) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += ch;
  }
  return new RegExp(out, `u${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}`);
}

export interface EvaluateOptions {
  /** Where to read a Sigma field name from in the event (for rules written with Sigma taxonomy names). */
  readonly eventField?: (sigmaField: string) => string;
  /**
   * 'unicode' (default) is Sigma as specified; 'ascii' folds ASCII letters only, as the IR
   * does, to check a rule's structure where SIEMC-A303 says the folding differs.
   */
  readonly caseFolding?: 'unicode' | 'ascii';
}

export function evaluateSigma(rule: SigmaRuleDoc, event: Json, options: EvaluateOptions = {}): boolean {
  const cache = new Map<string, boolean>();
  const selectionHolds = (name: string): boolean => {
    let v = cache.get(name);
    if (v === undefined) {
      const def = rule.selections.get(name);
      if (def === undefined) throw new Error(`condition names unknown selection ${name}`);
      v = def.maps.some((items) => items.every((item) => itemHolds(item, event, options)));
      cache.set(name, v);
    }
    return v;
  };
  return evaluateCondition(rule.condition, [...rule.selections.keys()], selectionHolds);
}

function itemHolds(item: DetectionItem, event: Json, options: EvaluateOptions): boolean {
  const mods = new Set(item.modifiers);
  const values = fieldValues(event, options.eventField?.(item.field) ?? item.field);
  if (mods.has('exists')) {
    if (item.values.length !== 1 || typeof item.values[0] !== 'boolean') throw new Error('|exists takes one boolean');
    return (values.length > 0) === item.values[0];
  }
  const one = (v: unknown): boolean => {
    if (v === null) return values.length === 0; // `f: null` is "field missing"
    return values.some((fv) => valueHolds(v, mods, fv, options.caseFolding ?? 'unicode'));
  };
  return mods.has('all') ? item.values.every(one) : item.values.some(one);
}

function valueHolds(v: unknown, mods: ReadonlySet<string>, fv: Scalar, folding: 'unicode' | 'ascii'): boolean {
  const compare = (['gt', 'gte', 'lt', 'lte'] as const).find((op) => mods.has(op));
  if (compare !== undefined) {
    const n = asNumber(fv);
    if (typeof v !== 'number' || n === undefined) return false;
    return compare === 'gt' ? n > v : compare === 'gte' ? n >= v : compare === 'lt' ? n < v : n <= v;
  }
  if (mods.has('cidr')) return cidrContains(String(v), asKeyword(fv));
  if (mods.has('re')) {
    if (typeof v !== 'string') throw new Error('|re takes strings');
    return pcreToRegExp(v, { i: mods.has('i'), m: mods.has('m'), s: mods.has('s') }).test(asKeyword(fv));
  }
  if (typeof v === 'boolean') return asBoolean(fv) === v;
  if (typeof v === 'number') return asNumber(fv) === v;
  if (typeof v !== 'string') throw new Error(`unsupported value ${JSON.stringify(v)}`);
  let pattern = readSigmaString(v);
  if (mods.has('contains') || mods.has('endswith')) pattern = makePattern([ANY_RUN, ...pattern]);
  if (mods.has('contains') || mods.has('startswith')) pattern = makePattern([...pattern, ANY_RUN]);
  return sigmaGlobMatches(pattern, asKeyword(fv), mods.has('cased') ? 'none' : folding);
}

/** Two code points are equal ignoring case when their one-code-point lower or upper cases agree. */
export function sameIgnoringUnicodeCase(a: number, b: number): boolean {
  if (a === b) return true;
  const sa = String.fromCodePoint(a);
  const sb = String.fromCodePoint(b);
  return sa.toLowerCase() === sb.toLowerCase() || sa.toUpperCase() === sb.toUpperCase();
}

function sameIgnoringAsciiCase(a: number, b: number): boolean {
  const letter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return a === b || (letter(a) && letter(b) && (a | 0x20) === (b | 0x20));
}

/** Whole-value wildcard match over code points (`?` is one code point), by dynamic programming. */
export function sigmaGlobMatches(pattern: Pattern, value: string, folding: 'none' | 'unicode' | 'ascii'): boolean {
  type Tok = { readonly kind: 'any' } | { readonly kind: 'one' } | { readonly kind: 'cp'; readonly cp: number };
  const toks: Tok[] = pattern.flatMap((p): Tok[] =>
    p.kind === 'anyRun' ? [{ kind: 'any' }] : p.kind === 'oneChar' ? [{ kind: 'one' }] : [...p.text].map((ch) => ({ kind: 'cp', cp: ch.codePointAt(0) ?? 0 })),
  );
  const text = [...value].map((ch) => ch.codePointAt(0) ?? 0);
  const same = folding === 'unicode' ? sameIgnoringUnicodeCase : folding === 'ascii' ? sameIgnoringAsciiCase : (a: number, b: number) => a === b;
  // reach[j]: the first i tokens can match the first j characters.
  let reach = text.map(() => false);
  reach = [true, ...reach];
  for (const tok of toks) {
    const next = reach.map(() => false);
    for (let j = 0; j <= text.length; j++) {
      if (tok.kind === 'any') next[j] = reach[j] === true || (j > 0 && next[j - 1] === true);
      else if (j > 0 && reach[j - 1] === true) next[j] = tok.kind === 'one' || same(tok.cp, text[j - 1] as number);
    }
    reach = next;
  }
  return reach[text.length] === true;
}

/**
 * Sigma conditions: `or` < `and` < `not` < `1 of`/`all of` < parentheses; names may end in
 * `*` after `of`, and `them` means every selection.
 */
export function evaluateCondition(condition: string, names: readonly string[], holds: (name: string) => boolean): boolean {
  const tokens = condition.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`condition ends early: ${condition}`);
    return t;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === 'or') {
      take();
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === 'and') {
      take();
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === 'not') {
      take();
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const t = take();
    if (t === '(') {
      const v = orExpr();
      if (take() !== ')') throw new Error(`expected ) in ${condition}`);
      return v;
    }
    if ((t === '1' || t === 'all' || t === 'any') && peek() === 'of') {
      take();
      const target = take();
      const members =
        target === 'them'
          ? [...names]
          : target.endsWith('*')
            ? names.filter((n) => n.startsWith(target.slice(0, -1)))
            : [target];
      if (members.length === 0) throw new Error(`${target} names no selection`);
      return t === 'all' ? members.every(holds) : members.some(holds);
    }
    if (!/^[A-Za-z0-9_]+$/.test(t)) throw new Error(`unexpected token ${t} in ${condition}`);
    return holds(t);
  };
  const v = orExpr();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${condition}`);
  return v;
}
