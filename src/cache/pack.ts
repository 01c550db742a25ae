/**
 * Many small cache entries in a few files: each read once per build, and written once
 * (atomically, through ./store.ts) when one of its entries changed. One file per entry cost a
 * build over a thousand file creations and reads (on a busy disk, seconds of a cold build and
 * much of a no-op one); one file for all meant rewriting tens of megabytes for one changed rule.
 * So entries are spread over SHARDS files by a hash of their name.
 *
 * Entries are named (a module's path, a rule's id) and carry the key they were made under; a
 * lookup with another key misses. Entries no run asked for are dropped on save once they
 * outnumber the ones asked for, so deleted rules do not pile up.
 */
import { createHash } from 'node:crypto';
import { readCacheJson, writeCacheJson } from './store.js';

type Entries<V> = Record<string, { readonly key: string; readonly value: V }>;

interface PackFile<V> {
  readonly format: string;
  readonly entries: Readonly<Entries<V>>;
}

const SHARDS = 16;

interface Shard<V> {
  readonly entries: Entries<V>;
  readonly asked: Set<string>;
  changed: boolean;
}

export class CachePack<V> {
  private readonly shards = new Map<number, Shard<V>>();
  /** Names still in use though not looked up (src/loader/modules.ts asks only for modules that run). */
  private readonly retained = new Set<string>();

  /** `base` is a path without extension: the shards are `<base>-<n>.json`. */
  constructor(
    private readonly base: string,
    private readonly format: string,
  ) {}

  private shardOf(name: string): [number, Shard<V>] {
    const n = createHash('sha1').update(name).digest().readUInt16BE(0) % SHARDS;
    let shard = this.shards.get(n);
    if (shard === undefined) {
      const known = readCacheJson<PackFile<V>>(this.file(n), this.format)?.entries;
      shard = { entries: known !== undefined && typeof known === 'object' && known !== null ? { ...known } : {}, asked: new Set(), changed: false };
      this.shards.set(n, shard);
    }
    return [n, shard];
  }

  private file(n: number): string {
    return `${this.base}-${n}.json`;
  }

  get(name: string, key: string): V | undefined {
    const [, shard] = this.shardOf(name);
    shard.asked.add(name);
    const e = Object.prototype.hasOwnProperty.call(shard.entries, name) ? shard.entries[name] : undefined;
    return e !== undefined && e.key === key ? e.value : undefined;
  }

  /** The entry of that name whatever its key (for keys that depend on the entry itself). */
  entry(name: string): { readonly key: string; readonly value: V } | undefined {
    const [, shard] = this.shardOf(name);
    shard.asked.add(name);
    return Object.prototype.hasOwnProperty.call(shard.entries, name) ? shard.entries[name] : undefined;
  }

  /** Keeps the entry of that name on save without reading its shard. */
  retain(name: string): void {
    this.retained.add(name);
  }

  set(name: string, key: string, value: V): void {
    const [, shard] = this.shardOf(name);
    shard.asked.add(name);
    shard.entries[name] = { key, value };
    shard.changed = true;
  }

  /** Writes each shard in which an entry changed or stale entries are due to go. */
  save(): void {
    for (const [n, shard] of this.shards) {
      const stale = Object.keys(shard.entries).filter((name) => !shard.asked.has(name) && !this.retained.has(name));
      if (stale.length > shard.asked.size) for (const name of stale) delete shard.entries[name];
      else if (!shard.changed) continue;
      writeCacheJson(this.file(n), { format: this.format, entries: shard.entries } satisfies PackFile<V>);
      shard.changed = false;
    }
  }
}
