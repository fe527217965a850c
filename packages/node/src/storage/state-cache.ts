import { bytesToKey } from "@hansa/core";
import type { StateWrite } from "./types.js";

/** A value read from the state table, or `null` for a key known to be absent. */
type Cached = Uint8Array | null;

/**
 * The committed state values read or written most recently, by key: admission and execution read the same
 * few keys (chain meta, senders' accounts and memberships, namespaces, the upper tree nodes) for every
 * transaction, and a LevelDB read costs far more than a map lookup. Absent keys are cached too (new records
 * are the common write). The store keeps it exact: every committed batch is applied to it once LevelDB
 * holds it, so it never answers with anything but the committed value.
 *
 * Bounded by two generations rather than an LRU list: when the young map is full it becomes the old one and
 * the previous old one is dropped whole; a hit in the old map moves the entry back to the young one. (Evicting
 * one key at a time from the front of a big Map makes V8 skip ever more deleted slots on each eviction.)
 */
export class StateCache {
  private young = new Map<string, Cached>();
  private old = new Map<string, Cached>();
  /** Entries per generation; at most twice this many are held. */
  readonly generation: number;

  constructor(generation: number) {
    if (!Number.isSafeInteger(generation) || generation < 1) {
      throw new RangeError(`"generation" expected a positive integer, got ${generation}`);
    }
    this.generation = generation;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The cached value: bytes, null when known absent, undefined when not cached. */
  get(id: string): Cached | undefined {
    const value = this.young.get(id);
    if (value !== undefined) return value;
    const aged = this.old.get(id);
    if (aged !== undefined) this.set(id, aged);
    return aged;
  }

  set(id: string, value: Cached): void {
    if (this.young.size >= this.generation && !this.young.has(id)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, value);
  }

  /**
   * Applies committed writes. Each is inserted, not only updated: the next block reads what this one wrote
   * (the upper tree nodes, the chain meta, the accounts of busy senders).
   */
  apply(writes: readonly StateWrite[]): void {
    for (const w of writes) {
      const id = bytesToKey(w.key);
      // The old generation may hold the previous value; it must never be found again.
      this.old.delete(id);
      this.set(id, w.value);
    }
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

export function stateCacheId(key: Uint8Array): string {
  return bytesToKey(key);
}
