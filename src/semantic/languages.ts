/**
 * The regular languages of string leaves, as refa DFAs over Unicode code points.
 *
 * Every field value reads, for the evaluator, like a string (src/semantic/cells.ts says why),
 * so `match`, `regex` and boolean `equals` leaves are sets of strings. They are built here
 * from the same sources the evaluator runs (`wholeValueRegex`, `globMatches`), so the
 * automaton and the evaluator agree by construction; src/semantic/cells.ts still checks each
 * witness value with the evaluator.
 */
import { DFA, JS, NFA, TooManyNodesError, type CharRange } from 'refa';
import { assertNever, type EqualsNode, type MatchNode, type RegexNode } from '../ir/nodes.js';
import { foldAsciiCase } from '../ir/regex.js';
import type { Pattern } from '../ir/pattern.js';
import { isAsciiLetterCode } from '../util/ascii.js';

/** Why a comparison could not be decided: a construct outside the decision, or a budget. */
export class OutsideDecision extends Error {
  constructor(
    readonly why: 'unsupported' | 'budget',
    message: string,
  ) {
    super(message);
  }
}

/** Largest automaton (states) any one operation may build before the comparison gives up. */
export const MAX_DFA_NODES = 20_000;


function factory(): DFA.LimitedNodeFactory {
  return new DFA.LimitedNodeFactory(MAX_DFA_NODES);
}

/** Runs an automaton operation, turning refa's size limit into a budget verdict. */
function bounded<T>(what: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    if (e instanceof TooManyNodesError) throw new OutsideDecision('budget', `automaton for ${what} exceeds ${MAX_DFA_NODES} states`);
    throw e;
  }
}

/** The language of a JS regex source (flags `su`, as the evaluator compiles IR regexes), as a minimal DFA. */
export function regexLanguage(source: string, what: string): DFA {
  let parsed: JS.ParseResult;
  try {
    // No anchors: an automaton's language is whole words, which is the IR's whole-value match.
    parsed = JS.Parser.fromLiteral({ source: `(?:${source})`, flags: 'su' }).parse({ assertions: 'throw', backreferences: 'throw' });
  } catch (e) {
    throw new OutsideDecision('unsupported', `${what}: ${(e as Error).message}`);
  }
  return bounded(what, () => {
    const dfa = DFA.fromFA(NFA.fromRegex(parsed.expression, { maxCharacter: parsed.maxCharacter }, { assertions: 'throw', unknowns: 'throw' }, new NFA.LimitedNodeFactory(MAX_DFA_NODES)), factory());
    dfa.minimize();
    return dfa;
  });
}


/** One code point as regex text: letters fold to `[aA]` when ignoring case (ASCII only, docs/semantics.md). */
function charSource(cp: number, caseInsensitive: boolean): string {
  if (caseInsensitive && isAsciiLetterCode(cp)) return `[${String.fromCodePoint(cp | 0x20)}${String.fromCodePoint(cp & ~0x20)}]`;
  return `\\u{${cp.toString(16)}}`;
}

/** A pattern as regex text: `*` any run of code points, `?` exactly one (the `s`+`u` flags make `[^]` one code point). */
export function patternSource(pattern: Pattern, caseInsensitive: boolean): string {
  return pattern
    .map((part) => {
      switch (part.kind) {
        case 'anyRun':
          return '[^]*';
        case 'oneChar':
          return '[^]';
        case 'literal':
          return Array.from(part.text, (ch) => charSource(ch.codePointAt(0) ?? 0, caseInsensitive)).join('');
        default:
          return assertNever(part, 'pattern part');
      }
    })
    .join('');
}

/** The strings a leaf accepts: a match list, a regex, or a boolean (as `asBoolean` reads text). */
export function leafLanguage(leaf: MatchNode | RegexNode | (EqualsNode & { value: boolean })): DFA {
  const what = `${leaf.kind} on ${leaf.field.name}`;
  switch (leaf.kind) {
    case 'match':
      // An empty list matches nothing: `[]` is the empty class.
      return regexLanguage(leaf.patterns.length === 0 ? '[]' : leaf.patterns.map((p) => patternSource(p, leaf.caseInsensitive)).join('|'), what);
    case 'regex':
      return regexLanguage(leaf.caseInsensitive ? foldAsciiCase(leaf.regex) : leaf.regex, what);
    case 'equals':
      return regexLanguage(leaf.value ? 'true' : 'false|', what);
    default:
      return assertNever(leaf, 'string leaf');
  }
}

let cachedUniverse: DFA | undefined;

/**
 * Every JS string as a code-point word. A high surrogate followed by a low one is one astral
 * code point in a string, never two, so such words are not strings and are left out.
 */
export function universe(): DFA {
  cachedUniverse ??= complement(regexLanguage('[^]*[\\u{d800}-\\u{dbff}][\\u{dc00}-\\u{dfff}][^]*', 'the string universe'));
  return cachedUniverse;
}

/** Text that `asNumber` reads as a number (src/eval/values.ts), exactly. */
export const NUMERIC_SOURCE = '\\s*[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?\\s*';
/** A superset of the text `parseIp` reads as an address: exact dotted IPv4, and anything with a colon. */
const OCTET = '(?:[01]?\\d?\\d|2[0-4]\\d|25[0-5])';
export const IP_SUPERSET_SOURCE = `${OCTET}(?:\\.${OCTET}){3}|[^]*:[^]*`;

export function intersect(a: DFA, b: DFA, what: string): DFA {
  return bounded(what, () => {
    const dfa = DFA.fromIntersection(a, b, factory());
    dfa.minimize();
    return dfa;
  });
}

export function complement(a: DFA): DFA {
  const dfa = a.copy();
  dfa.complement();
  dfa.minimize();
  return dfa;
}

/** Characters a reader would like to see in a witness, in order of preference. */
const PREFERRED = Array.from('xabcdefghijklmnopqrstuvwyzXABCDEFGHIJKLMNOPQRSTUVWYZ0123456789.-_ /\\:', (c) => c.codePointAt(0) ?? 0);
const RANK = new Map(PREFERRED.map((cp, i) => [cp, i]));

const inRanges = (ranges: readonly CharRange[], cp: number) => ranges.some((r) => r.min <= cp && cp <= r.max);

/** A readable character of a set: a preferred one, else printable and not a surrogate, else any. */
function pickChar(ranges: readonly CharRange[]): number | undefined {
  for (const cp of PREFERRED) if (inRanges(ranges, cp)) return cp;
  const readable = (cp: number) => !(cp >= 0xd800 && cp <= 0xdfff) && !(cp >= 0x7f && cp <= 0x9f) && cp >= 0x20;
  for (const r of ranges) {
    for (const cp of [r.min, 0x20, 0xa0, 0xe000]) if (cp >= r.min && cp <= r.max && readable(cp)) return cp;
  }
  return ranges[0]?.min;
}

export function wordToString(word: readonly number[]): string {
  return String.fromCodePoint(...word);
}

/**
 * The shortest word from `start` to a final node, breadth-first, each node once, the most
 * readable character first on every step (RANK); undefined when no final node is reached.
 */
function shortestWord<N>(start: N, isFinal: (node: N) => boolean, edges: (node: N) => Iterable<readonly [N, readonly CharRange[]]>): string | undefined {
  const back = new Map<N, { readonly from: N; readonly cp: number } | null>([[start, null]]);
  const queue: N[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as N;
    if (isFinal(node)) {
      const word: number[] = [];
      for (let step = back.get(node); step != null; step = back.get(step.from)) word.push(step.cp);
      return wordToString(word.reverse());
    }
    const steps = [...edges(node)].flatMap(([to, ranges]) => {
      const cp = pickChar(ranges);
      return cp === undefined ? [] : [{ to, cp }];
    });
    steps.sort((x, y) => (RANK.get(x.cp) ?? 1000) - (RANK.get(y.cp) ?? 1000));
    for (const { to, cp } of steps) {
      if (back.has(to)) continue;
      back.set(to, { from: node, cp });
      queue.push(to);
    }
  }
  return undefined;
}

/**
 * A shortest non-empty word of the language, else the empty word (breadth-first over states, readable characters first), or
 * undefined when it is empty. refa's own word iterators enumerate paths, which explodes on the
 * large automata of a long domain list; this visits each state once.
 */
export function pickWord(dfa: DFA): string | undefined {
  if (dfa.isEmpty) return undefined;
  // The empty word only when the language has nothing else: `""` is a legal value but a confusing witness.
  // A virtual root stands before the initial state, so a final initial state is reached again by a non-empty path.
  const root = {} as DFA.ReadonlyNode;
  const edges = (node: DFA.ReadonlyNode): [DFA.ReadonlyNode, CharRange[]][] => {
    const byTarget = new Map<DFA.ReadonlyNode, CharRange[]>();
    for (const [range, to] of (node === root ? dfa.initial : node).out) byTarget.set(to, [...(byTarget.get(to) ?? []), range]);
    return [...byTarget];
  };
  const word = shortestWord(root, (node) => node !== root && dfa.finals.has(node as DFA.Node), edges);
  return word ?? (dfa.finals.has(dfa.initial) ? '' : undefined);
}

/**
 * A shortest word of a regex source's language read off its NFA (breadth-first, readable
 * characters first), without determinising: a word to try, cheap even where the DFA of
 * `.{2,128}` is not. Undefined when the source is outside the decision or the language is empty.
 */
export function regexWord(source: string): string | undefined {
  let nfa: NFA;
  try {
    const parsed = JS.Parser.fromLiteral({ source: `(?:${source})`, flags: 'su' }).parse({ assertions: 'throw', backreferences: 'throw' });
    nfa = NFA.fromRegex(parsed.expression, { maxCharacter: parsed.maxCharacter }, { assertions: 'throw', unknowns: 'throw' }, new NFA.LimitedNodeFactory(MAX_DFA_NODES));
  } catch {
    return undefined;
  }
  const finals = nfa.finals as ReadonlySet<NFA.ReadonlyNode>;
  return shortestWord<NFA.ReadonlyNode>(nfa.initial, (node) => finals.has(node), (node) => [...node.out].map(([to, chars]) => [to, chars.ranges] as const));
}

/** Up to `limit` distinct words, shortest first, and whether they are all the language has. */
export function sampleWords(dfa: DFA, limit: number): { readonly words: readonly string[]; readonly complete: boolean } {
  const words: string[] = [];
  if (dfa.isEmpty) return { words, complete: true };
  const finite = dfa.isFinite;
  for (const word of dfa.words()) {
    if (words.length >= limit) return { words, complete: false };
    words.push(wordToString(word));
  }
  return { words, complete: finite };
}

