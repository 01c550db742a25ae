/**
 * A small pretty printer for the expressions emitted modules contain (calls, member chains,
 * arrays, objects, strings). An expression is printed on one line when it fits in the width,
 * else broken the way the repository's rules are written: one argument, element or property
 * per line with trailing commas, a lone array or object argument hugged (`defineRule({`), long
 * strings split into `'...' +` pieces at spaces and line ends.
 */
import { stringLiteral } from './literals.js';

export const WIDTH = 120;
const INDENT = '  ';

export type Doc =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'call'; readonly callee: Doc; readonly args: readonly Doc[] }
  | { readonly kind: 'member'; readonly object: Doc; readonly name: string }
  | { readonly kind: 'array'; readonly items: readonly Doc[]; readonly suffix?: string }
  | { readonly kind: 'object'; readonly props: readonly Property[] };

export interface Property {
  /** Already a valid key (see propertyKey). */
  readonly key: string;
  readonly value: Doc;
}

export const text = (t: string): Doc => ({ kind: 'text', text: t });
export const str = (value: string): Doc => ({ kind: 'string', value });
export const call = (callee: Doc | string, ...args: Doc[]): Doc => ({ kind: 'call', callee: typeof callee === 'string' ? text(callee) : callee, args });
export const member = (object: Doc, name: string): Doc => ({ kind: 'member', object, name });
export const array = (items: readonly Doc[], suffix?: string): Doc => (suffix === undefined ? { kind: 'array', items } : { kind: 'array', items, suffix });
export const object = (props: readonly Property[]): Doc => ({ kind: 'object', props });
/** `receiver.method(args)` */
export const method = (receiver: Doc, name: string, ...args: Doc[]): Doc => call(member(receiver, name), ...args);

/** Flat text per doc: `render` asks it at every level of a nested doc, which is quadratic without it. */
const flatCache = new WeakMap<Doc, string>();

export function flat(doc: Doc): string {
  let text = flatCache.get(doc);
  if (text === undefined) {
    text = flatText(doc);
    flatCache.set(doc, text);
  }
  return text;
}

function flatText(doc: Doc): string {
  switch (doc.kind) {
    case 'text':
      return doc.text;
    case 'string':
      return stringLiteral(doc.value);
    case 'call':
      return `${flat(doc.callee)}(${doc.args.map(flat).join(', ')})`;
    case 'member':
      return `${flat(doc.object)}.${doc.name}`;
    case 'array':
      return `[${doc.items.map(flat).join(', ')}]${doc.suffix ?? ''}`;
    case 'object':
      return doc.props.length === 0 ? '{}' : `{ ${doc.props.map((p) => `${p.key}: ${flat(p.value)}`).join(', ')} }`;
    default:
      return assertNeverDoc(doc);
  }
}

function assertNeverDoc(doc: never): never {
  throw new Error(`unexpected doc ${JSON.stringify(doc)}`);
}

function lastLineLength(s: string): number {
  return s.length - (s.lastIndexOf('\n') + 1);
}

/**
 * Prints `doc` starting at column `col` with `indent` levels, when `tail` characters follow it
 * on its last line (a comma, a closing parenthesis).
 */
export function render(doc: Doc, indent: number, col: number, tail: number): string {
  const one = flat(doc);
  if (!one.includes('\n') && col + one.length + tail <= WIDTH) return one;
  const pad = INDENT.repeat(indent);
  const inner = INDENT.repeat(indent + 1);
  switch (doc.kind) {
    case 'text':
      return doc.text;
    case 'string': {
      const pieces = splitString(doc.value, WIDTH - (indent + 1) * INDENT.length - 4);
      if (pieces.length === 1) return one;
      return pieces.map(stringLiteral).join(` +\n${inner}`);
    }
    case 'member': {
      const head = render(doc.object, indent, col, tail + doc.name.length + 1);
      return `${head}.${doc.name}`;
    }
    case 'call': {
      const head = render(doc.callee, indent, col, 1);
      const at = head.includes('\n') ? lastLineLength(head) : col + head.length;
      if (doc.args.length === 0) return `${head}()`;
      const args = doc.args.map(flat);
      if (at + 2 + args.join(', ').length + tail <= WIDTH && !args.some((a) => a.includes('\n'))) return `${head}(${args.join(', ')})`;
      // Hug a last array or object argument when the others fit before it: `f(a, [` ... `])`.
      const last = doc.args[doc.args.length - 1] as Doc;
      const before = args.slice(0, -1).map((a) => `${a}, `).join('');
      if ((last.kind === 'array' || last.kind === 'object') && at + 1 + before.length + 2 <= WIDTH) {
        return `${head}(${before}${renderBroken(last, indent, tail + 1)})`;
      }
      const lines = doc.args.map((a) => `${inner}${render(a, indent + 1, inner.length, 1)},`);
      return `${head}(\n${lines.join('\n')}\n${pad})`;
    }
    case 'array':
    case 'object':
      return renderBroken(doc, indent, tail);
    default:
      return assertNeverDoc(doc);
  }
}

/** An array or object one element or property per line. */
function renderBroken(doc: Extract<Doc, { kind: 'array' | 'object' }>, indent: number, tail: number): string {
  const pad = INDENT.repeat(indent);
  const inner = INDENT.repeat(indent + 1);
  if (doc.kind === 'array') {
    if (doc.items.length === 0) return `[]${doc.suffix ?? ''}`;
    const lines = doc.items.map((item) => `${inner}${render(item, indent + 1, inner.length, 1)},`);
    return `[\n${lines.join('\n')}\n${pad}]${doc.suffix ?? ''}`;
  }
  if (doc.props.length === 0) return '{}';
  void tail;
  const lines = doc.props.map((p) => {
    const start = inner.length + p.key.length + 2;
    const value = flat(p.value);
    if (start + value.length + 1 <= WIDTH) return `${inner}${p.key}: ${value},`;
    // A long string reads best from the start of its own line, as the repository's rules write descriptions.
    if (p.value.kind === 'string') return `${inner}${p.key}:\n${inner}${INDENT}${render(p.value, indent + 1, inner.length + 2, 1)},`;
    return `${inner}${p.key}: ${render(p.value, indent + 1, start, 1)},`;
  });
  return `{\n${lines.join('\n')}\n${pad}}`;
}

/**
 * Cuts a string into pieces of at most about `width` characters for `'...' +` continuation:
 * after each line feed, and at the last space before the width. Pieces never split a surrogate
 * pair, so each piece is a well-formed literal of its own.
 */
export function splitString(value: string, width: number): string[] {
  const limit = Math.max(width, 20);
  const pieces: string[] = [];
  let current = '';
  let length = 0;
  const push = (): void => {
    if (current !== '') pieces.push(current);
    current = '';
    length = 0;
  };
  for (const ch of value) {
    // Escapes make a character wider than one column; count its literal width.
    const w = ch.length === 1 && ch >= ' ' && ch <= '~' && ch !== '\\' ? 1 : stringLiteral(ch).length - 2;
    if (length + w > limit) {
      const cut = current.lastIndexOf(' ');
      if (cut > 0 && cut < current.length - 1) {
        const rest = current.slice(cut + 1);
        current = current.slice(0, cut + 1);
        push();
        current = rest;
        length = stringLiteral(rest).length - 2;
      } else {
        push();
      }
    }
    current += ch;
    length += w;
    if (ch === '\n') push();
  }
  push();
  return pieces.length === 0 ? [''] : pieces;
}
