import { RecentMap } from "@hansa/core";

/**
 * Recently seen keys, for de-duplication: at most `capacity`, always at least the latest `capacity / 2`
 * (a RecentMap of two generations; a key seen again is not refreshed).
 */
export class SeenCache {
  private readonly keys: RecentMap<string, true>;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 2) {
      throw new RangeError(`"capacity" expected an integer of at least 2, got ${capacity}`);
    }
    this.keys = new RecentMap(Math.floor(capacity / 2));
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.set(key, true);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
