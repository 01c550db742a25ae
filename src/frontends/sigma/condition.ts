/**
 * Sigma conditions: `and`, `or`, `not`, parentheses, `1 of x*` / `any of x*`, `all of x*`,
 * `1 of them`, `all of them` (pySigma's grammar: `not` binds tightest, then `and`, then `or`;
 * `them` leaves out identifiers that start with `_`). A `|` starts an aggregation (Sigma 1.0
 * `count() by ...`), which is refused: aggregations are correlation rules now.
 */
import { ImportProblem } from './problems.js';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly children: readonly Condition[] }
  | { readonly kind: 'not'; readonly child: Condition }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly names: readonly string[]; readonly target: string };

type Token = { readonly kind: 'word' | '(' | ')'; readonly text: string; readonly offset: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:([()])|([^\s()|]+)|(\|)|(\S))/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    const offset = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').length;
    if (m[3] !== undefined) throw new ImportProblem('SIEMC-I111', `the condition has an aggregation ("${text.slice(offset).trim()}"), which Sigma now writes as a correlation rule; siemc does not import those`);
    if (m[1] !== undefined) out.push({ kind: m[1] as '(' | ')', text: m[1], offset });
    else out.push({ kind: 'word', text: m[2] ?? m[4] ?? '', offset });
  }
  return out;
}

/** Parses one condition against the detection's identifiers. */
export function parseCondition(text: string, identifiers: readonly string[]): Condition {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (message: string): never => {
    throw new ImportProblem('SIEMC-I105', `condition "${text}": ${message}`);
  };
  const peekWord = (w: string): boolean => tokens[i]?.kind === 'word' && tokens[i]?.text.toLowerCase() === w;

  const orExpr = (): Condition => {
    const children = [andExpr()];
    while (peekWord('or')) {
      i++;
      children.push(andExpr());
    }
    return children.length === 1 ? (children[0] as Condition) : { kind: 'or', children };
  };
  const andExpr = (): Condition => {
    const children = [notExpr()];
    while (peekWord('and')) {
      i++;
      children.push(notExpr());
    }
    return children.length === 1 ? (children[0] as Condition) : { kind: 'and', children };
  };
  const notExpr = (): Condition => {
    if (peekWord('not')) {
      i++;
      return { kind: 'not', child: notExpr() };
    }
    return atom();
  };
  const atom = (): Condition => {
    const t = tokens[i];
    if (t === undefined) return fail('ends where a selection was expected');
    if (t.kind === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i]?.kind !== ')') fail('a ( is not closed');
      i++;
      return inner;
    }
    if (t.kind === ')') return fail(`unexpected ) at offset ${t.offset}`);
    const word = t.text.toLowerCase();
    if (['and', 'or', 'not'].includes(word)) return fail(`unexpected "${t.text}" at offset ${t.offset}`);
    if (word === 'near') return fail('"near" (a temporal correlation of Sigma 1.0) is not supported');
    if (['1', 'any', 'all'].includes(word) && tokens[i + 1]?.kind === 'word' && tokens[i + 1]?.text.toLowerCase() === 'of') {
      const target = tokens[i + 2];
      if (target?.kind !== 'word') return fail(`"${t.text} of" needs a selection name, a pattern or "them"`);
      i += 3;
      const names = target.text === 'them' ? identifiers.filter((n) => !n.startsWith('_')) : identifiers.filter((n) => globMatch(target.text, n));
      if (names.length === 0) fail(`"${t.text} of ${target.text}" names no selection`);
      return { kind: 'of', quantifier: word === 'all' ? 'all' : 'one', names, target: target.text };
    }
    if (/^\d+$/.test(word) && tokens[i + 1]?.text.toLowerCase() === 'of') return fail(`"${t.text} of" is not Sigma: only "1 of", "any of" and "all of" are`);
    i++;
    if (!identifiers.includes(t.text)) fail(`"${t.text}" is not a selection of this detection`);
    return { kind: 'ref', name: t.text };
  };

  const result = orExpr();
  if (i < tokens.length) fail(`unexpected "${tokens[i]?.text ?? ''}" at offset ${tokens[i]?.offset ?? 0}`);
  return result;
}

/** `selection_*` patterns in `1 of`: `*` any run, `?` one character, everything else literal. */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(name);
}
