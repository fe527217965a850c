import { bytesToKey, RecentMap } from "@hansa/core";
import type { StateWrite } from "./types.js";

/** A value read from the state table, or `null` for a key known to be absent. */
type Cached = Uint8Array | null;

/**
 * The committed state values read or written most recently, by key: admission and execution read the same
 * few keys (chain meta, senders' accounts and memberships, namespaces, the upper tree nodes) for every
 * transaction, and a LevelDB read costs far more than a map lookup. Absent keys are cached too (new records
 * are the common write). The store keeps it exact: every committed batch is applied to it once LevelDB
 * holds it, so it never answers with anything but the committed value. Bounded in two generations
 * (RecentMap).
 */
export class StateCache {
  private readonly entries: RecentMap<string, Cached>;

  /** `generation`: entries per generation; at most twice this many are held. */
  constructor(generation: number) {
    this.entries = new RecentMap(generation);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value: bytes, null when known absent, undefined when not cached. */
  get(id: string): Cached | undefined {
    return this.entries.get(id);
  }

  set(id: string, value: Cached): void {
    this.entries.set(id, value);
  }

  /**
   * Applies committed writes. Each is inserted, not only updated: the next block reads what this one wrote
   * (the upper tree nodes, the chain meta, the accounts of busy senders).
   */
  apply(writes: readonly StateWrite[]): void {
    for (const w of writes) this.entries.set(bytesToKey(w.key), w.value);
  }

  clear(): void {
    this.entries.clear();
  }
}

export function stateCacheId(key: Uint8Array): string {
  return bytesToKey(key);
}
