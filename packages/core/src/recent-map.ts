/**
 * A bounded map of recently used entries, in two generations: new and refreshed entries go into the young
 * map; when it holds `generation` entries it becomes the old one and the previous old one is dropped whole;
 * a hit in the old map moves the entry back to the young one. It holds at most `2 × generation` entries and
 * always the last `generation` set or read.
 *
 * Not a Map with re-insertion and eviction of its first key: V8 leaves a deleted entry's slot in place until
 * the table is rebuilt, so once such a map is full, finding its first live key skips every slot freed before
 * it, and each eviction cost grew with the map (at 40,000 entries that was the largest single cost of a
 * validator under sustained load, docs/benchmarks.md). Used for every bounded cache in Hansa: verified
 * signatures, evicted transactions, committed state values, imported public keys, gossip de-duplication.
 */
export class RecentMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
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

  has(key: K): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: K, value: V): void {
    // The old generation may hold a previous value; it must never be found again.
    this.old.delete(key);
    if (this.young.size >= this.generation && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  delete(key: K): boolean {
    const inYoung = this.young.delete(key);
    return this.old.delete(key) || inYoung;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
