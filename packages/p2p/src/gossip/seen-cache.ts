/**
 * Recently seen keys, for de-duplication: at most `capacity`, always at least the latest `capacity / 2`.
 * Two generations: keys go into the young set; when it holds half the capacity it becomes the old one and
 * the previous old one is dropped whole.
 *
 * Not a Set evicting its first key on each add: V8 leaves a deleted entry's slot in place until the table is
 * rebuilt, so finding the first live key skips every slot freed before it, and once the set was full each add
 * cost time in proportion to its size (docs/benchmarks.md).
 */
export class SeenCache {
  private young = new Set<string>();
  private old = new Set<string>();
  private readonly generation: number;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 2) {
      throw new RangeError(`"capacity" expected an integer of at least 2, got ${capacity}`);
    }
    this.generation = Math.floor(capacity / 2);
  }

  has(key: string): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: string): boolean {
    if (this.has(key)) return false;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Set();
    }
    this.young.add(key);
    return true;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
