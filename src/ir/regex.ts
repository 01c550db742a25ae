/**
 * The portable regex subset of the IR (docs/semantics.md): it reads the same in JavaScript,
 * Lucene RegExp and PCRE once each backend applies the small rewrites here.
 */

/** Why a source is outside the portable subset, or undefined when it is inside. */
export function portableRegexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
  } catch (e) {
    return (e as Error).message;
  }
  const segs = segments(source);
  for (let k = 0; k < segs.length; k++) {
    const { kind, text } = segs[k] as Segment;
    const next = segs[k + 1];
    const escape = /\\([A-Za-z0-9])/.exec(kind === 'char' ? '' : text);
    if (escape !== null) return `escape \\${escape[1] ?? ''} is outside the portable subset (write the character, or a class)`;
    if (kind !== 'char') continue;
    if (text === '^' || text === '$') return `anchor ${text}: IR regexes always match the whole value`;
    if (text === '(' && next?.text === '?' && segs[k + 2]?.text !== ':') return 'lookaround and inline flags are outside the portable subset';
    if ('*+?}'.includes(text) && next?.text === '?') return 'lazy quantifiers are outside the portable subset';
  }
  return undefined;
}

const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isLower = (c: string) => c >= 'a' && c <= 'z';
const swap = (c: string) => (isUpper(c) ? c.toLowerCase() : c.toUpperCase());

/**
 * The case-sensitive regex that matches what `source` matches ignoring ASCII case: letters
 * become `[xX]`, classes gain the other case of their letters and letter ranges. This is the
 * IR's meaning of a case-insensitive regex, written so that every engine agrees (Lucene's own
 * case-insensitive flag does not fold ranges).
 */
export function foldAsciiCase(source: string): string {
  return segments(source)
    .map(({ kind, text }) => (kind === 'class' ? foldClass(text) : kind === 'char' && (isUpper(text) || isLower(text)) ? `[${text}${swap(text)}]` : text))
    .join('');
}

function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length - 1;
}

/** Adds, before the closing `]`, the other case of every letter and of the letter part of every range. */
function foldClass(cls: string): string {
  const body = cls.slice(1, -1);
  const extra: string[] = [];
  const items: string[] = [];
  for (let i = body.startsWith('^') ? 1 : 0; i < body.length; i++) {
    const c = body[i] as string;
    const escaped = c === '\\';
    const lit = escaped ? (body[++i] ?? '') : c;
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const hiRaw = body[i + 2] as string;
      const hi = hiRaw === '\\' ? (body[i + 3] ?? '') : hiRaw;
      i += hiRaw === '\\' ? 3 : 2;
      items.push(`${lit}-${hi}`);
      for (const [from, to, delta] of [['A', 'Z', 32], ['a', 'z', -32]] as const) {
        const lo = lit > from ? lit : from;
        const top = hi < to ? hi : to;
        if (lo <= top) extra.push(`${String.fromCharCode(lo.charCodeAt(0) + delta)}-${String.fromCharCode(top.charCodeAt(0) + delta)}`);
      }
    } else if (!escaped && (isUpper(lit) || isLower(lit))) {
      // An escaped letter is a class shorthand (`\d`), not a letter: it has no other case.
      extra.push(swap(lit));
    }
  }
  return extra.length === 0 ? cls : `${cls.slice(0, -1)}${extra.join('')}]`;
}

/** Lucene RegExp text: `(?:` groups become plain groups, Lucene-only operators get a backslash. */
export function regexToLucene(source: string): string {
  const segs = segments(source);
  let out = '';
  for (let k = 0; k < segs.length; k++) {
    const { kind, text } = segs[k] as Segment;
    if (kind === 'escape') out += text;
    // Inside a class `(?:` is three literal characters; only the Lucene operators need escapes.
    else if (kind === 'class') out += text.replace(/(\\.)|([#@&<>~"])/g, (m, esc: string | undefined) => (esc !== undefined ? m : `\\${m}`));
    else if (text === '(' && segs[k + 1]?.text === '?' && segs[k + 2]?.text === ':') {
      out += '(';
      k += 2;
    } else out += '#@&<>~"'.includes(text) ? `\\${text}` : text;
  }
  return out;
}

interface Segment {
  readonly kind: 'escape' | 'class' | 'char';
  readonly text: string;
}

/** A source cut into backslash escapes, whole character classes and single characters: the one scanner the rewrites share. */
function segments(source: string): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\') {
      out.push({ kind: 'escape', text: source.slice(i, i + 2) });
      i++;
    } else if (ch === '[') {
      const end = classEnd(source, i);
      out.push({ kind: 'class', text: source.slice(i, end + 1) });
      i = end;
    } else {
      out.push({ kind: 'char', text: ch });
    }
  }
  return out;
}
