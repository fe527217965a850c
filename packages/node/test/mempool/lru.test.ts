import { describe, expect, it } from "vitest";
import { Lru } from "../../src/mempool/index.js";

describe("Lru", () => {
  it("forgets the least recently used entry when full", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // "b" is now the oldest
    lru.set("c", 3);
    expect([lru.has("a"), lru.has("b"), lru.has("c")]).toEqual([true, false, true]);
    expect(lru.size).toBe(2);
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
