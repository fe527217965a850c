// allocBytes hands out views on shared slabs: two arrays must never share a byte, or one block's tree node
// would overwrite another's.
import { allocBytes } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("allocBytes", () => {
  it("gives zeroed arrays of the asked length that never overlap", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 400 }), (lengths) => {
        const arrays = lengths.map((n) => allocBytes(n));
        arrays.forEach((a, i) => {
          expect(a.length).toBe(lengths[i]);
          expect(a.every((b) => b === 0)).toBe(true);
        });
        // Fill each with its own index; any overlap would show as a foreign byte.
        arrays.forEach((a, i) => {
          a.fill(i % 251);
        });
        arrays.forEach((a, i) => {
          expect(a.every((b) => b === i % 251)).toBe(true);
        });
      }),
      { numRuns: 50 },
    );
  });

  it("keeps small arrays on their own and carves mid-sized ones from a slab", () => {
    const small = allocBytes(64);
    expect(small.byteOffset).toBe(0);
    expect(small.buffer.byteLength).toBe(64);
    const node = allocBytes(65);
    expect(node.buffer.byteLength).toBeGreaterThan(65);
    const large = allocBytes(4096);
    expect(large.buffer.byteLength).toBe(4096);
  });
});
