import { describe, expect, it } from "vitest";
import { StateCache, stateCacheId } from "../../src/storage/state-cache.js";

const key = (n: number) => Uint8Array.of(0x61, n);
const id = (n: number) => stateCacheId(key(n));

describe("StateCache", () => {
  it("tells a cached absence (null) from a key it does not hold (undefined)", () => {
    const cache = new StateCache(4);
    cache.set(id(1), null);
    expect(cache.get(id(1))).toBeNull();
    expect(cache.get(id(2))).toBeUndefined();
  });

  it("holds at most two generations and keeps what is read again", () => {
    const cache = new StateCache(2);
    cache.set(id(1), Uint8Array.of(1));
    cache.set(id(2), Uint8Array.of(2));
    cache.set(id(3), Uint8Array.of(3)); // 1 and 2 become the old generation
    expect(cache.get(id(1))).toEqual(Uint8Array.of(1)); // moved back to the young one
    cache.set(id(4), Uint8Array.of(4)); // young {3, 1} ages; 2 is dropped with the old generation
    expect(cache.size).toBeLessThanOrEqual(4);
    expect(cache.get(id(2))).toBeUndefined();
    expect(cache.get(id(1))).toEqual(Uint8Array.of(1));
  });

  it("answers committed writes with their new value, never an older one from either generation", () => {
    const cache = new StateCache(2);
    cache.set(id(1), Uint8Array.of(1));
    cache.set(id(2), Uint8Array.of(2));
    cache.set(id(3), null); // 1 and 2 are old now
    cache.apply([
      { key: key(1), value: Uint8Array.of(9) },
      { key: key(3), value: Uint8Array.of(3) },
      { key: key(2), value: null },
    ]);
    expect(cache.get(id(1))).toEqual(Uint8Array.of(9));
    expect(cache.get(id(2))).toBeNull();
    expect(cache.get(id(3))).toEqual(Uint8Array.of(3));
  });
});
