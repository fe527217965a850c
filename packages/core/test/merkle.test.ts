// RFC 6962 Merkle trees: the published vectors, then properties of random trees and mutated proofs.
import {
  bytesToHex,
  concatBytes,
  consistencyProof,
  EMPTY_ROOT,
  hexToBytes,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  utf8ToBytes,
  verifyConsistency,
  verifyInclusion,
} from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Vectors from the certificate-transparency Go code as maintained in github.com/transparency-dev/merkle:
// rfc6962/rfc6962_test.go (hasher) and proof/verify_test.go (leaves, roots, inclusion and consistency
// proofs), themselves carried over from google/trillian merkle/log_verifier_test.go.
const h = (hex: string): Uint8Array => hexToBytes(hex);

describe("RFC 6962 hasher (transparency-dev/merkle rfc6962/rfc6962_test.go)", () => {
  it("empty tree, empty leaf, a leaf and a node", () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(bytesToHex(merkleRoot([]))).toBe(bytesToHex(EMPTY_ROOT));
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    expect(bytesToHex(leafHash(utf8ToBytes("L123456")))).toBe(
      "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
    );
    expect(bytesToHex(nodeHash(utf8ToBytes("N123"), utf8ToBytes("N456")))).toBe(
      "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
    );
  });

  it("a leaf never hashes like a node over the same bytes, and order matters", () => {
    const l = leafHash(utf8ToBytes("Hello"));
    const r = leafHash(utf8ToBytes("World"));
    expect(nodeHash(l, r)).not.toEqual(leafHash(concatBytes(l, r)));
    expect(nodeHash(l, r)).not.toEqual(nodeHash(r, l));
  });
});

// transparency-dev/merkle proof/verify_test.go
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  h,
);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(h);
/** `leaf` is 1-based, as in the source. */
const INCLUSION = [
  { leaf: 1, size: 1, proof: [] },
  {
    leaf: 1,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { leaf: 3, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    leaf: 2,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
].map((v) => ({ ...v, proof: v.proof.map(h) }));
const CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
].map((v) => ({ ...v, proof: v.proof.map(h) }));
const SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456");

const flipBit = (proof: Uint8Array[], i: number, mask: number) =>
  proof.map((p, j) => (j === i ? p.map((b, k) => (k === 0 ? b ^ mask : b)) : p));

describe("RFC 6962 vectors (transparency-dev/merkle proof/verify_test.go)", () => {
  it("roots of the trees of the first 1..8 leaves", () => {
    ROOTS.forEach((root, i) => {
      expect(bytesToHex(merkleRoot(LEAVES.slice(0, i + 1)))).toBe(bytesToHex(root));
    });
  });

  it.each(INCLUSION)("inclusion of leaf $leaf in a tree of $size", ({ leaf, size, proof }) => {
    const index = leaf - 1;
    const root = ROOTS[size - 1]!;
    const data = LEAVES[index]!;
    expect(inclusionProof(LEAVES.slice(0, size), index)).toEqual(proof);
    expect(verifyInclusion(data, index, size, proof, root)).toBe(true);
    // The corruptions of corruptInclusionProof in the source.
    const probes: [string, Parameters<typeof verifyInclusion>][] = [
      ["index - 1", [data, index - 1, size, proof, root]],
      ["index + 1", [data, index + 1, size, proof, root]],
      ["index ^ 2", [data, index ^ 2, size, proof, root]],
      ["size * 2", [data, index, size * 2, proof, root]],
      ["size / 2", [data, index, Math.floor(size / 2), proof, root]],
      ["wrong leaf", [utf8ToBytes("WrongLeaf"), index, size, proof, root]],
      ["empty root", [data, index, size, proof, EMPTY_ROOT]],
      ["random root", [data, index, size, proof, SOME_HASH]],
      ["trailing garbage", [data, index, size, [...proof, new Uint8Array(0)], root]],
      ["trailing root", [data, index, size, [...proof, root], root]],
      ["preceding garbage", [data, index, size, [new Uint8Array(0), ...proof], root]],
      ["preceding root", [data, index, size, [root, ...proof], root]],
      ...proof.map((_, i): [string, Parameters<typeof verifyInclusion>] => [
        `proof[${i}] bit 3 flipped`,
        [data, index, size, flipBit(proof, i, 8), root],
      ]),
    ];
    if (proof.length > 0) probes.push(["removed component", [data, index, size, proof.slice(0, -1), root]]);
    if (proof.length > 1) {
      probes.push(["inserted component", [data, index, size, [proof[0]!, SOME_HASH, ...proof.slice(1)], root]]);
    }
    for (const [name, args] of probes) expect(verifyInclusion(...args), name).toBe(false);
  });

  it.each(CONSISTENCY)("consistency of $size1 with $size2", ({ size1, size2, proof }) => {
    const root1 = ROOTS[size1 - 1]!;
    const root2 = ROOTS[size2 - 1]!;
    expect(consistencyProof(LEAVES.slice(0, size2), size1)).toEqual(proof);
    expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
    if (proof.length === 0) return;
    const wrongRoot = new Uint8Array(32).fill(7);
    // The corruptions of corruptConsistencyProof in the source.
    const probes: [string, Parameters<typeof verifyConsistency>][] = [
      ["size1 - 1", [size1 - 1, size2, root1, root2, proof]],
      ["size1 + 1", [size1 + 1, size2, root1, root2, proof]],
      ["size1 ^ 2", [size1 ^ 2, size2, root1, root2, proof]],
      ["size2 * 2", [size1, size2 * 2, root1, root2, proof]],
      ["size2 / 2", [size1, Math.floor(size2 / 2), root1, root2, proof]],
      ["wrong root1", [size1, size2, wrongRoot, root2, proof]],
      ["wrong root2", [size1, size2, root1, wrongRoot, proof]],
      ["swapped roots", [size1, size2, root2, root1, proof]],
      ["empty proof", [size1, size2, root1, root2, []]],
      ["trailing garbage", [size1, size2, root1, root2, [...proof, new Uint8Array(0)]]],
      ["trailing root1", [size1, size2, root1, root2, [...proof, root1]]],
      ["trailing root2", [size1, size2, root1, root2, [...proof, root2]]],
      ["preceding garbage", [size1, size2, root1, root2, [new Uint8Array(0), ...proof]]],
      ["preceding root1", [size1, size2, root1, root2, [root1, ...proof]]],
      ["preceding root2", [size1, size2, root1, root2, [root2, ...proof]]],
      ["preceding proof[0]", [size1, size2, root1, root2, [proof[0]!, ...proof]]],
      ["truncated proof", [size1, size2, root1, root2, proof.slice(0, -1)]],
      ...proof.map((_, i): [string, Parameters<typeof verifyConsistency>] => [
        `proof[${i}] bit 4 flipped`,
        [size1, size2, root1, root2, flipBit(proof, i, 16)],
      ]),
    ];
    for (const [name, args] of probes) expect(verifyConsistency(...args), name).toBe(false);
  });

  it("trivial and impossible consistency cases (TestVerifyConsistency)", () => {
    const r1 = new Uint8Array(32).fill(1);
    const r2 = new Uint8Array(32).fill(2);
    expect(verifyConsistency(0, 0, r1, r2, [])).toBe(false);
    expect(verifyConsistency(1, 1, r1, r2, [])).toBe(false);
    // The source accepts (0, 0) and (0, 1) with any roots; Hansa requires the empty tree's root for size 0.
    expect(verifyConsistency(0, 0, r1, r1, [])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(1, 1, r2, r2, [])).toBe(true);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, r2, [])).toBe(true);
    expect(verifyConsistency(0, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(1, 0, r1, r2, [])).toBe(false);
    expect(verifyConsistency(2, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(1, 2, r1, r2, [])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])).toBe(false);
  });

  it("a single-leaf tree: the root is the leaf hash and the proof is empty (TestVerifyInclusionSingleEntry)", () => {
    const data = utf8ToBytes("data");
    const root = leafHash(data);
    expect(verifyInclusion(data, 0, 1, [], root)).toBe(true);
    expect(verifyInclusion(data, 0, 1, [], new Uint8Array(0))).toBe(false);
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(data, index, size, [], root)).toBe(false);
    }
  });
});

// ---- properties of random trees -------------------------------------------------------------------------

/** Distinct leaves: the index is part of each, so two positions never hold the same data. */
const arbLeaves = (min: number, max: number) =>
  fc
    .array(fc.uint8Array({ maxLength: 12 }), { minLength: min, maxLength: max })
    .map((xs) => xs.map((x, i) => concatBytes(new Uint8Array([i >> 8, i & 0xff]), x)));

const arbTreeAndIndex = arbLeaves(1, 70).chain((leaves) =>
  fc.record({ leaves: fc.constant(leaves), index: fc.nat({ max: leaves.length - 1 }) }),
);

const arbTreeAndSizes = arbLeaves(1, 70).chain((leaves) =>
  fc.record({ leaves: fc.constant(leaves), oldSize: fc.integer({ min: 1, max: leaves.length }) }),
);

describe("inclusion proofs of random trees", () => {
  it("every inclusion proof verifies", () => {
    fc.assert(
      fc.property(arbTreeAndIndex, ({ leaves, index }) => {
        const root = merkleRoot(leaves);
        expect(verifyInclusion(leaves[index]!, index, leaves.length, inclusionProof(leaves, index), root)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("every mutated proof fails: a flipped bit, a dropped, added or swapped element, another index, size or root", () => {
    fc.assert(
      fc.property(arbTreeAndIndex, fc.nat(), fc.nat({ max: 255 }), ({ leaves, index }, pick, bit) => {
        const n = leaves.length;
        const root = merkleRoot(leaves);
        const proof = inclusionProof(leaves, index);
        const leaf = leaves[index]!;
        const fails = (p: Uint8Array[], i = index, size = n, r = root, l = leaf) =>
          expect(verifyInclusion(l, i, size, p, r)).toBe(false);
        if (proof.length > 0) {
          const at = pick % proof.length;
          fails(flipBit(proof, at, 1 << (bit % 8)));
          fails(proof.filter((_, j) => j !== at));
          const swapWith = (at + 1) % proof.length;
          if (proof.length > 1 && bytesToHex(proof[at]!) !== bytesToHex(proof[swapWith]!)) {
            const swapped = [...proof];
            [swapped[at], swapped[swapWith]] = [swapped[swapWith]!, swapped[at]!];
            fails(swapped);
          }
        }
        fails([...proof, root]);
        fails([root, ...proof]);
        const other = (index + 1 + (pick % Math.max(1, n - 1))) % n;
        if (other !== index) fails(proof, other);
        fails(proof, index, n + 1 + (pick % 5), merkleRoot([...leaves, ...leaves].slice(0, n + 1 + (pick % 5))));
        if (n > 1 && index < n - 1) fails(proof, index, n - 1, merkleRoot(leaves.slice(0, n - 1)));
        fails(proof, index, n * 2);
        fails(proof, index, n, EMPTY_ROOT);
        fails(proof, index, n, root, concatBytes(leaf, new Uint8Array([0])));
      }),
      { numRuns: 300 },
    );
  });

  it("a proof built for any other leaf index fails at this one", () => {
    fc.assert(
      fc.property(arbLeaves(2, 40), fc.nat(), fc.nat(), (leaves, a, b) => {
        const i = a % leaves.length;
        const j = b % leaves.length;
        fc.pre(i !== j);
        const root = merkleRoot(leaves);
        expect(verifyInclusion(leaves[i]!, i, leaves.length, inclusionProof(leaves, j), root)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe("consistency proofs of random trees", () => {
  it("every consistency proof between two sizes verifies", () => {
    fc.assert(
      fc.property(arbTreeAndSizes, ({ leaves, oldSize }) => {
        const oldRoot = merkleRoot(leaves.slice(0, oldSize));
        const proof = consistencyProof(leaves, oldSize);
        expect(verifyConsistency(oldSize, leaves.length, oldRoot, merkleRoot(leaves), proof)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("every mutated proof fails: a flipped bit, a dropped, added or swapped element, other sizes or roots", () => {
    fc.assert(
      fc.property(arbTreeAndSizes, fc.nat(), fc.nat({ max: 255 }), ({ leaves, oldSize }, pick, bit) => {
        const n = leaves.length;
        fc.pre(oldSize < n);
        const oldRoot = merkleRoot(leaves.slice(0, oldSize));
        const newRoot = merkleRoot(leaves);
        const proof = consistencyProof(leaves, oldSize);
        const fails = (p: Uint8Array[], m = oldSize, size = n, r1 = oldRoot, r2 = newRoot) =>
          expect(verifyConsistency(m, size, r1, r2, p)).toBe(false);
        const at = pick % proof.length;
        fails(flipBit(proof, at, 1 << (bit % 8)));
        fails(proof.filter((_, j) => j !== at));
        const swapWith = (at + 1) % proof.length;
        if (proof.length > 1 && bytesToHex(proof[at]!) !== bytesToHex(proof[swapWith]!)) {
          const swapped = [...proof];
          [swapped[at], swapped[swapWith]] = [swapped[swapWith]!, swapped[at]!];
          fails(swapped);
        }
        fails([...proof, newRoot]);
        fails([oldRoot, ...proof]);
        fails([]);
        fails(proof, oldSize, n, newRoot, oldRoot);
        fails(proof, oldSize, n, oldRoot, EMPTY_ROOT);
        fails(proof, oldSize, n, EMPTY_ROOT, newRoot);
        // A tree that is not an extension of the old one: change one of the old leaves.
        const forked = [...leaves];
        forked[pick % oldSize] = concatBytes(forked[pick % oldSize]!, new Uint8Array([1]));
        fails(consistencyProof(forked, oldSize), oldSize, n, oldRoot, merkleRoot(forked));
        fails(proof, oldSize, n * 2);
        fails(proof, n, oldSize);
      }),
      { numRuns: 300 },
    );
  });
});

describe("verify functions never throw on garbage", () => {
  const garbage = fc.oneof(
    fc.anything(),
    fc.uint8Array({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.array(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.anything()), { maxLength: 6 }),
  );

  it("verifyInclusion", () => {
    fc.assert(
      fc.property(garbage, garbage, garbage, garbage, garbage, (leaf, index, size, proof, root) => {
        expect(
          typeof verifyInclusion(leaf as never, index as never, size as never, proof as never, root as never),
        ).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
    expect(verifyInclusion(new Uint8Array(0), 0, 2 ** 40, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(new Uint8Array(0), Number.NaN, 1, [], EMPTY_ROOT)).toBe(false);
  });

  it("verifyConsistency", () => {
    fc.assert(
      fc.property(garbage, garbage, garbage, garbage, garbage, (m, n, r1, r2, proof) => {
        expect(typeof verifyConsistency(m as never, n as never, r1 as never, r2 as never, proof as never)).toBe(
          "boolean",
        );
      }),
      { numRuns: 1000 },
    );
    expect(verifyConsistency(1, 2 ** 40, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])).toBe(false);
  });

  it("proof builders refuse out-of-range arguments with RangeError", () => {
    expect(() => inclusionProof([], 0)).toThrow(RangeError);
    expect(() => inclusionProof([new Uint8Array(0)], 1)).toThrow(RangeError);
    expect(() => consistencyProof([new Uint8Array(0)], 2)).toThrow(RangeError);
    expect(() => consistencyProof([new Uint8Array(0)], -1)).toThrow(RangeError);
  });
});
