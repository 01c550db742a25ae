/**
 * Sigma files as located trees. YAML 1.1 is read, as PyYAML (and so pySigma) reads it: `yes` is
 * a boolean, `0x10` and `1:20` are numbers. A repeated key keeps its last value, as in PyYAML.
 * Every node carries the 1-based line and column where it was written.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { SourceLocation } from '../../model/location.js';

export type Scalar = string | number | boolean | null;

export type YNode =
  | { readonly kind: 'map'; readonly entries: readonly YEntry[]; readonly at: SourceLocation }
  | { readonly kind: 'seq'; readonly items: readonly YNode[]; readonly at: SourceLocation }
  | { readonly kind: 'scalar'; readonly value: Scalar; readonly source: string; readonly at: SourceLocation };

export interface YEntry {
  readonly key: string;
  readonly keyAt: SourceLocation;
  readonly value: YNode;
}

export interface YDocument {
  readonly root: YNode | undefined;
  readonly at: SourceLocation;
}

export interface YamlProblem {
  readonly message: string;
  readonly at: SourceLocation;
}

export type YamlFile = { readonly documents: readonly YDocument[] } | { readonly problem: YamlProblem };

export function readYaml(file: string, text: string): YamlFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, version: '1.1', uniqueKeys: false, prettyErrors: false });
  const docList: readonly Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const at = (offset: number): SourceLocation => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  for (const d of docList) {
    const e = d.errors[0];
    if (e !== undefined) return { problem: { message: e.message.split('\n')[0] ?? e.message, at: at(e.pos[0]) } };
  }
  const documents = docList.map((d) => ({
    root: d.contents === null ? undefined : convert(d.contents as YamlNode, d, at, 0),
    at: at(d.range[0]),
  }));
  return { documents };
}

function convert(node: YamlNode, doc: Document.Parsed, at: (offset: number) => SourceLocation, depth: number): YNode {
  // Aliases are resolved; a cycle or a bomb of aliases stops at a fixed depth.
  if (depth > 64) return { kind: 'scalar', value: null, source: '', at: at(node.range?.[0] ?? 0) };
  const where = at(node.range?.[0] ?? 0);
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target === undefined ? { kind: 'scalar', value: null, source: '', at: where } : convert(target as YamlNode, doc, at, depth + 1);
  }
  if (isMap(node)) {
    const entries: YEntry[] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const key = k === null ? '' : isScalar(k) ? scalarText(k.value, k.source) : String(k);
      const keyAt = at(k?.range?.[0] ?? node.range?.[0] ?? 0);
      const v = pair.value as YamlNode | null;
      const value: YNode = v === null ? { kind: 'scalar', value: null, source: '', at: keyAt } : convert(v, doc, at, depth + 1);
      const existing = entries.findIndex((e) => e.key === key);
      if (existing >= 0) entries.splice(existing, 1);
      entries.push({ key, keyAt, value });
    }
    return { kind: 'map', entries, at: where };
  }
  if (isSeq(node)) return { kind: 'seq', items: node.items.map((i) => (i === null ? nullAt(where) : convert(i as YamlNode, doc, at, depth + 1))), at: where };
  if (isScalar(node)) {
    const v = node.value;
    const source = typeof node.source === 'string' ? node.source : String(v);
    // Timestamps and other resolved types are kept as the text they were written as.
    const value: Scalar = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : source;
    return { kind: 'scalar', value: typeof value === 'bigint' ? String(value) : value, source, at: where };
  }
  return nullAt(where);
}

function nullAt(at: SourceLocation): YNode {
  return { kind: 'scalar', value: null, source: '', at };
}

function scalarText(value: unknown, source: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof source === 'string') return source;
  return String(value);
}

/** A map's entry by key. */
export function entry(node: YNode | undefined, key: string): YEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/** A scalar's text (numbers and booleans as written); undefined for maps, lists and null. */
export function text(node: YNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return typeof node.value === 'string' ? node.value : node.source;
}

/** A scalar or a list of scalars as strings (free-text lists: references, falsepositives). */
export function texts(node: YNode | undefined): string[] {
  if (node === undefined) return [];
  if (node.kind === 'seq') return node.items.flatMap((i) => texts(i));
  const t = text(node);
  return t === undefined ? [] : [t];
}

/** Plain JavaScript data of a node (for merging `action: global` documents). */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
    case 'seq':
      return node.items.map(toPlain);
    case 'scalar':
      return node.value;
  }
}

/**
 * Sigma's `action: global` merge (specification 1.0, multi-document rules): the global document's
 * maps are merged into each rule document, the rule document's values winning, maps merged key by key.
 */
export function mergeInto(base: YNode, over: YNode): YNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries = [...base.entries];
  for (const e of over.entries) {
    const i = entries.findIndex((b) => b.key === e.key);
    if (i < 0) entries.push(e);
    else entries[i] = { ...e, value: mergeInto((entries[i] as YEntry).value, e.value) };
  }
  return { kind: 'map', entries, at: over.at };
}

/** A map without some keys. */
export function without(node: YNode, keys: readonly string[]): YNode {
  return node.kind === 'map' ? { ...node, entries: node.entries.filter((e) => !keys.includes(e.key)) } : node;
}
