/**
 * One field's value domain, cut into cells by the leaves on that field.
 *
 * Every value the evaluator reads is, for every leaf, indistinguishable from a string: a number
 * `n` behaves as the text `String(n)` (same keyword text, `asNumber` reads it back exactly, no
 * boolean reading) and `true`/`false` as the text `"true"`/`"false"`. The field's type is not
 * consulted by the evaluator either. So the domain is the set of strings, and a leaf is a set of
 * strings: regular for `match`, `regex` and boolean `equals`; "text whose number lies in these
 * intervals" for `range` and numeric `equals`; "text that parses as an address in these
 * networks" for `cidr`. A cell is a maximal set of values on which every leaf of the field has
 * one truth value (its signs). An event's field is then described, for every leaf, by the set of
 * cells it has values in: a leaf is true when one of those cells has it true.
 */
import { evaluate } from '../eval/evaluate.js';
import { asKeyword, type Scalar } from '../eval/values.js';
import type { CidrNode, LeafNode } from '../ir/nodes.js';
import { ipRepresentatives, numericRepresentatives, numericValue, type NumericLeaf } from './intervals.js';
import {
  complement,
  intersect,
  IP_SUPERSET_SOURCE,
  leafLanguage,
  NUMERIC_SOURCE,
  OutsideDecision,
  pickWord,
  regexLanguage,
  sampleWords,
  universe,
} from './languages.js';
import type { DFA } from 'refa';

/** A cell: the truth of each of the field's leaves on it, and a value in it (undefined: it may or may not be empty). */
export interface Cell {
  readonly signs: readonly boolean[];
  readonly value: Scalar | undefined;
}

export interface FieldModel {
  readonly field: string;
  /** The distinct non-`exists` leaves of the field, in the order of `Cell.signs`. */
  readonly atoms: readonly LeafNode[];
  readonly atomKeys: readonly string[];
  readonly cells: readonly Cell[];
  /** Why some cells are of unknown emptiness (a string leaf and a numeric or CIDR leaf on one field). */
  readonly unknownReason?: string;
}

export interface CellLimits {
  /** Cells one field may have before the comparison gives up. */
  readonly maxCells: number;
  /** Words tried when a string leaf and a numeric/CIDR leaf share a field. */
  readonly maxSampledWords: number;
}

export const DEFAULT_CELL_LIMITS: CellLimits = { maxCells: 512, maxSampledWords: 3000 };

/** A leaf's identity for the comparison: everything but its label (and the field type, which the evaluator ignores). */
export function leafKey(leaf: LeafNode): string {
  const { label: _label, field, ...rest } = leaf;
  return JSON.stringify({ ...rest, field: field.name });
}

/** The truth of a leaf on one value, as the evaluator has it. */
export function holdsOn(leaf: LeafNode, value: Scalar): boolean {
  return evaluate(leaf, { [leaf.field.name]: value });
}

type StringLeaf = Parameters<typeof leafLanguage>[0];
type SpecialLeaf = NumericLeaf | CidrNode;

function isStringLeaf(leaf: LeafNode): leaf is StringLeaf {
  return leaf.kind === 'match' || leaf.kind === 'regex' || (leaf.kind === 'equals' && typeof leaf.value === 'boolean');
}

interface RegularCell {
  readonly dfa: DFA;
  readonly signs: readonly boolean[];
}

/**
 * Leaf automata by leaf, shared across comparisons: a pull request compares many rules that
 * share lists, and one long case-insensitive domain list takes about a second to determinise.
 */
const languageCache = new Map<string, { readonly lang: DFA; readonly notLang: DFA }>();
const LANGUAGE_CACHE_SIZE = 256;

function cachedLanguage(leaf: StringLeaf): { readonly lang: DFA; readonly notLang: DFA } {
  const key = leafKey(leaf);
  let entry = languageCache.get(key);
  if (entry === undefined) {
    const lang = leafLanguage(leaf);
    entry = { lang, notLang: complement(lang) };
    if (languageCache.size >= LANGUAGE_CACHE_SIZE) languageCache.delete(languageCache.keys().next().value as string);
    languageCache.set(key, entry);
  }
  return entry;
}

/** Splits the string universe by each string leaf, keeping the non-empty parts. */
function regularCells(field: string, leaves: readonly StringLeaf[], limits: CellLimits): RegularCell[] {
  let cells: RegularCell[] = [{ dfa: universe(), signs: [] }];
  for (const leaf of leaves) {
    const { lang, notLang } = cachedLanguage(leaf);
    const next: RegularCell[] = [];
    for (const cell of cells) {
      const yes = intersect(cell.dfa, lang, `a cell of ${field}`);
      if (yes.isEmpty) {
        next.push({ dfa: cell.dfa, signs: [...cell.signs, false] });
        continue;
      }
      next.push({ dfa: yes, signs: [...cell.signs, true] });
      const no = intersect(cell.dfa, notLang, `a cell of ${field}`);
      if (!no.isEmpty) next.push({ dfa: no, signs: [...cell.signs, false] });
    }
    if (next.length > limits.maxCells) throw new OutsideDecision('budget', `${field} has more than ${limits.maxCells} cells`);
    cells = next;
  }
  return cells;
}

const signsKey = (signs: readonly boolean[]) => signs.map((s) => (s ? '1' : '0')).join('');

/** Builds the cells of one field from its leaves (`exists` leaves need none: they hold on every value). */
export function fieldModel(field: string, fieldLeaves: readonly LeafNode[], limits: CellLimits = DEFAULT_CELL_LIMITS): FieldModel {
  const byKey = new Map<string, LeafNode>();
  for (const leaf of fieldLeaves) if (leaf.kind !== 'exists') byKey.set(leafKey(leaf), leaf);
  const stringLeaves = [...byKey.values()].filter(isStringLeaf);
  const specialLeaves = [...byKey.values()].filter((l): l is SpecialLeaf => !isStringLeaf(l) && l.kind !== 'exists');
  const atoms: LeafNode[] = [...stringLeaves, ...specialLeaves];
  const atomKeys = atoms.map(leafKey);
  const specialSigns = (value: Scalar) => specialLeaves.map((l) => holdsOn(l, value));

  // Special pieces: representatives of numbers, addresses and "neither", grouped by their signs.
  const numeric = specialLeaves.filter((l): l is NumericLeaf => l.kind !== 'cidr');
  const cidrs = specialLeaves.filter((l): l is CidrNode => l.kind === 'cidr');
  const reps: Scalar[] = ['x'];
  if (numeric.length > 0) reps.push(...numericRepresentatives(numeric).map(numericValue));
  if (cidrs.length > 0) reps.push(...ipRepresentatives(cidrs));
  const groups = new Map<string, Scalar>();
  for (const rep of reps) {
    const key = signsKey(specialSigns(rep));
    if (!groups.has(key)) groups.set(key, rep);
  }

  const cells = new Map<string, Cell>();
  const add = (signs: readonly boolean[], value: Scalar | undefined) => {
    const key = signsKey(signs);
    if (value !== undefined || !cells.has(key)) cells.set(key, { signs, value });
  };
  let unknownReason: string | undefined;

  if (stringLeaves.length === 0) {
    for (const [key, rep] of groups) add([...key].map((c) => c === '1'), rep);
  } else {
    const regular = regularCells(field, stringLeaves, limits);
    if (specialLeaves.length === 0) {
      for (const cell of regular) add(cell.signs, requireWord(cell.dfa, field));
    } else {
      // Values that are neither numbers nor addresses have every special leaf false; the rest are sampled.
      const sources = [...(numeric.length > 0 ? [NUMERIC_SOURCE] : []), ...(cidrs.length > 0 ? [IP_SUPERSET_SOURCE] : [])];
      const special = regexLanguage(sources.join('|'), 'numbers and addresses');
      const plain = complement(special);
      for (const cell of regular) {
        const plainPart = intersect(cell.dfa, plain, `a cell of ${field}`);
        if (!plainPart.isEmpty) {
          const word = requireWord(plainPart, field);
          add([...cell.signs, ...specialSigns(word)], word);
        }
        const { words, complete } = sampleWords(intersect(cell.dfa, special, `a cell of ${field}`), limits.maxSampledWords);
        const found = new Set<string>();
        // The pieces' own representatives first: they reach every numeric and address piece the cell has room for.
        for (const rep of reps) {
          if (!cell.dfa.test(Array.from(asKeyword(rep), (ch) => ch.codePointAt(0) ?? 0))) continue;
          const signs = specialSigns(rep);
          found.add(signsKey(signs));
          add([...cell.signs, ...signs], rep);
        }
        for (const w of words) {
          const signs = specialSigns(w);
          found.add(signsKey(signs));
          add([...cell.signs, ...signs], w);
        }
        if (complete) continue;
        for (const key of groups.keys()) {
          if (found.has(key)) continue;
          unknownReason = `${field} has string leaves and numeric or CIDR leaves, and ${limits.maxSampledWords} sampled values did not settle every combination`;
          add([...cell.signs, ...[...key].map((c) => c === '1')], undefined);
        }
      }
    }
  }

  // The model must agree with the evaluator on every witness value; a disagreement is a bug here, never a verdict.
  for (const cell of cells.values()) {
    if (cell.value === undefined) continue;
    const value = cell.value;
    atoms.forEach((atom, i) => {
      if (holdsOn(atom, value) !== cell.signs[i]) {
        throw new OutsideDecision('unsupported', `the cell model of ${field} disagrees with the evaluator on ${JSON.stringify(value)}`);
      }
    });
  }
  return { field, atoms, atomKeys, cells: [...cells.values()], ...(unknownReason === undefined ? {} : { unknownReason }) };
}

function requireWord(dfa: DFA, field: string): string {
  const word = pickWord(dfa);
  if (word === undefined) throw new OutsideDecision('budget', `no readable value found in a non-empty cell of ${field}`);
  return word;
}
