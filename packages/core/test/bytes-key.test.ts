// bytesToKey names bytes in in-memory maps (ledger overlays, the state cache): it must be a bijection that keeps
// byte order, since dumps sort by it.
import { bytesToKey, compareBytes, equalBytes } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("bytesToKey", () => {
  it("is one character per byte, distinct for distinct bytes, and keeps byte order", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const ka = bytesToKey(a);
        const kb = bytesToKey(b.subarray(0));
        expect(ka.length).toBe(a.length);
        expect(ka === kb).toBe(equalBytes(a, b));
        expect(Math.sign(compareBytes(a, b))).toBe(ka < kb ? -1 : ka > kb ? 1 : 0);
        expect(new Uint8Array(Buffer.from(ka, "latin1"))).toEqual(a);
      }),
    );
  });
});
