import { RecentMap } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("RecentMap", () => {
  it("keeps what was set or read lately and drops the rest a generation at a time", () => {
    const map = new RecentMap<string, number>(1);
    map.set("a", 1);
    map.set("b", 2); // a ages
    expect(map.get("a")).toBe(1); // a is young again, b ages
    map.set("c", 3); // a ages, b is dropped
    expect([map.has("a"), map.has("b"), map.has("c")]).toEqual([true, false, true]);
    expect(map.size).toBe(2);
    expect(map.delete("a")).toBe(true);
    expect(map.delete("a")).toBe(false);
    expect(() => new RecentMap(0)).toThrow(RangeError);
  });

  it("never answers with a value replaced since", () => {
    const map = new RecentMap<string, number>(2);
    map.set("k", 1);
    map.set("x", 0);
    map.set("y", 0); // k now old
    map.set("k", 2);
    map.set("z", 0);
    map.set("w", 0); // the generation holding k=2 ages
    expect(map.get("k")).toBe(2);
  });

  it("property: holds at most two generations and always the last `generation` keys touched", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.constantFrom("set", "get", "delete"), fc.integer({ min: 0, max: 20 })), {
          maxLength: 200,
        }),
        (generation, ops) => {
          const map = new RecentMap<number, number>(generation);
          const model = new Map<number, number>();
          const touched: number[] = [];
          for (const [op, key] of ops) {
            if (op === "set") {
              map.set(key, key * 10 + touched.length);
              model.set(key, key * 10 + touched.length);
              touched.push(key);
            } else if (op === "get") {
              const got = map.get(key);
              // Whatever it still holds is the latest value set.
              if (got !== undefined) expect(got).toBe(model.get(key));
              if (got !== undefined) touched.push(key);
            } else {
              map.delete(key);
              model.delete(key);
            }
            expect(map.size).toBeLessThanOrEqual(2 * generation);
          }
          // The last `generation` distinct keys set or read (and not deleted since) are all still there.
          const recent = [...new Set(touched.reverse())].slice(0, generation).filter((k) => model.has(k));
          for (const k of recent) expect(map.get(k)).toBe(model.get(k));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
