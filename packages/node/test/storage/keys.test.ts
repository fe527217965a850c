import { compareBytes } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heightKey, prefixEnd, readU64, receiptKey, Table, walKey } from "../../src/storage/keys.js";

const height = fc.nat({ max: Number.MAX_SAFE_INTEGER });

describe("key layout", () => {
  it("orders height keys like the heights (big-endian), so ranges iterate in chain order", () => {
    fc.assert(
      fc.property(height, height, (a, b) => {
        const order = Math.sign(compareBytes(heightKey(Table.block, a), heightKey(Table.block, b)));
        expect(order).toBe(Math.sign(a - b));
        expect(readU64(heightKey(Table.block, a), 1)).toBe(a);
      }),
    );
  });

  it("orders receipts by (height, index) and WAL records by (height, seq)", () => {
    fc.assert(
      fc.property(height, fc.nat({ max: 2 ** 32 - 1 }), height, fc.nat({ max: 2 ** 32 - 1 }), (h1, i1, h2, i2) => {
        const expected = Math.sign(h1 - h2 || i1 - i2);
        expect(Math.sign(compareBytes(receiptKey(h1, i1), receiptKey(h2, i2)))).toBe(expected);
        expect(Math.sign(compareBytes(walKey(h1, i1), walKey(h2, i2)))).toBe(expected);
      }),
    );
  });

  it("bounds a prefix range just above every key with that prefix", () => {
    expect(prefixEnd(Uint8Array.of(0x73, 0x61))).toEqual(Uint8Array.of(0x73, 0x62));
    expect(prefixEnd(Uint8Array.of(0x73, 0xff, 0xff))).toEqual(Uint8Array.of(0x74));
    expect(prefixEnd(Uint8Array.of(0xff))).toBeUndefined();
    expect(() => heightKey(Table.block, -1)).toThrow(RangeError);
  });
});
