import { isHansaError, SMT_EMPTY_ROOT, SmtError, SmtErrorCode, SparseMerkleTree } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { bytes32, MemoryStore } from "./memory-store.js";

const key = bytes32("80");
const value = bytes32("11");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmtError);
  expect(isHansaError(err)).toBe(true);
  return (err as SmtError).code;
}

describe("sparse Merkle tree errors", () => {
  it("reports a node missing from the store", async () => {
    const tree = new SparseMerkleTree(new MemoryStore());
    const root = bytes32("ab");
    expect(await codeOf(tree.get(root, key))).toBe(SmtErrorCode.MISSING_NODE);
    expect(await codeOf(tree.prove(root, key))).toBe(SmtErrorCode.MISSING_NODE);
    expect(await codeOf(tree.update(root, [{ key, valueHash: value }]))).toBe(SmtErrorCode.MISSING_NODE);
  });

  it("reports bytes that are not a record", async () => {
    const other = bytes32("a0"); // its first four bits name slot 10
    const bad = [
      new Uint8Array(64), // a leaf record one byte short
      Uint8Array.of(1, ...new Uint8Array(64)), // a binary interior node: never stored
      Uint8Array.of(2, ...new Uint8Array(64)), // a page with no slot and trailing bytes
      Uint8Array.of(2, 0x00, 0x80, 0x00, 0x80, ...key, ...value), // a page holding one leaf
      Uint8Array.of(2, 0x00, 0x80, 0x00, 0x00, ...key, ...value), // a slot longer than its kind
      Uint8Array.of(2, 0x00, 0x40, 0x00, 0xc0, ...key, ...value), // a leaf slot that is not present
      Uint8Array.of(2, 0x00, 0xc0, 0x00, 0xc0, ...key, ...value, ...other, ...value), // a leaf in another's slot
    ];
    for (const record of bad) {
      const tree = new SparseMerkleTree({ get: () => record });
      expect(await codeOf(tree.get(bytes32("ab"), key))).toBe(SmtErrorCode.CORRUPT_NODE);
    }
  });

  it("stops a walk that a corrupt store makes endless", async () => {
    // A page whose every slot is itself: impossible under SHA-256, possible under a broken store.
    const self = bytes32("ab");
    const loop = Uint8Array.of(2, 0xff, 0xff, 0x00, 0x00, ...Array.from({ length: 16 }, () => [...self]).flat());
    const tree = new SparseMerkleTree({ get: () => loop });
    expect(await codeOf(tree.get(self, key))).toBe(SmtErrorCode.CORRUPT_NODE);
    expect(await codeOf(tree.prove(self, key))).toBe(SmtErrorCode.CORRUPT_NODE);
    expect(await codeOf(tree.update(self, [{ key, valueHash: value }]))).toBe(SmtErrorCode.CORRUPT_NODE);
  });

  it("refuses a tree-of-one leaf record where a page belongs", async () => {
    const leaf = Uint8Array.of(0, ...key, ...value);
    const page = Uint8Array.of(2, 0x00, 0xc0, 0x00, 0x00, ...bytes32("01"), ...bytes32("02"));
    const tree = new SparseMerkleTree({ get: (hash) => (hash[0] === 0xab ? page : leaf) });
    expect(await codeOf(tree.get(bytes32("ab"), key))).toBe(SmtErrorCode.CORRUPT_NODE);
  });

  it("checks its arguments with labelled messages", async () => {
    const tree = new SparseMerkleTree(new MemoryStore());
    await expect(tree.get(SMT_EMPTY_ROOT, key.subarray(1))).rejects.toThrow(RangeError);
    await expect(tree.get(SMT_EMPTY_ROOT.subarray(1), key)).rejects.toThrow('"root" expected 32 bytes, got 31');
    await expect(tree.update(SMT_EMPTY_ROOT, [{ key, valueHash: value.subarray(2) }])).rejects.toThrow(
      '"changes[0].valueHash" expected 32 bytes, got 30',
    );
    await expect(tree.update(SMT_EMPTY_ROOT, [{ key: "k" as unknown as Uint8Array, valueHash: null }])).rejects.toThrow(
      TypeError,
    );
    await expect(tree.update(SMT_EMPTY_ROOT, "x" as never)).rejects.toThrow(TypeError);
  });
});
