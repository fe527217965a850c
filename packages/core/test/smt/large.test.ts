import { createHash } from "node:crypto";
import { bytesToHex, SMT_EMPTY_ROOT, type SmtChange, SparseMerkleTree, verifySmtProof } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { MemoryStore, referenceRoot } from "./memory-store.js";

const h = (label: string, i: number) => new Uint8Array(createHash("sha256").update(`${label}/${i}`).digest());
const N = 10_000;
const keys = Array.from({ length: N }, (_, i) => h("key", i));
const inserts: SmtChange[] = keys.map((key, i) => ({ key, valueHash: h("value", i) }));

describe("sparse Merkle tree: 10,000 keys", () => {
  it("builds, batches, proves, rewrites and empties", async () => {
    const store = new MemoryStore();
    const tree = new SparseMerkleTree(store);
    const expected = bytesToHex(referenceRoot(inserts.map((c) => [c.key, c.valueHash as Uint8Array])));

    const built = await tree.update(SMT_EMPTY_ROOT, inserts);
    expect(bytesToHex(built.root)).toBe(expected);
    // The store holds pages of four binary levels with leaves inline: 1 + 16 + 256 pages at the top, most of the
    // 4,096 possible at depth 12, a few below; a binary node per record would be ~2 per key.
    expect(built.nodes.length).toBeGreaterThan(N / 4);
    expect(built.nodes.length).toBeLessThan(N / 2);
    store.put(built.nodes);

    // The same keys, in reverse, in 100 batches into a second store, and the last 500 one at a time.
    const other = new MemoryStore();
    const otherTree = new SparseMerkleTree(other);
    const reversed = inserts.toReversed();
    let root = SMT_EMPTY_ROOT;
    for (let i = 0; i < N - 500; i += 95) {
      const u = await otherTree.update(root, reversed.slice(i, Math.min(i + 95, N - 500)));
      other.put(u.nodes);
      root = u.root;
    }
    for (const c of reversed.slice(N - 500)) {
      const u = await otherTree.update(root, [c]);
      other.put(u.nodes);
      root = u.root;
    }
    expect(bytesToHex(root)).toBe(expected);

    for (let i = 0; i < 1000; i++) {
      const key = keys[i * 10] as Uint8Array;
      const present = await tree.prove(built.root, key);
      expect(verifySmtProof(built.root, key, h("value", i * 10), present)).toBe(true);
      const absentKey = h("absent", i);
      const absent = await tree.prove(built.root, absentKey);
      expect(verifySmtProof(built.root, absentKey, null, absent)).toBe(true);
      // A tree of 10,000 hashed keys is about 15 levels deep on average, far from 256.
      expect(present.siblings.length).toBeLessThan(40);
    }

    // One block's worth of mixed changes: 2,000 rewrites, 2,000 deletions, 2,000 new keys.
    const block: SmtChange[] = [
      ...keys.slice(0, 2000).map((key, i) => ({ key, valueHash: h("rewrite", i) })),
      ...keys.slice(2000, 4000).map((key) => ({ key, valueHash: null })),
      ...Array.from({ length: 2000 }, (_, i) => ({ key: h("new", i), valueHash: h("new-value", i) })),
    ];
    const final = new Map(
      inserts.map((c) => [bytesToHex(c.key), [c.key, c.valueHash as Uint8Array] as [Uint8Array, Uint8Array]]),
    );
    for (const c of block) {
      if (c.valueHash === null) final.delete(bytesToHex(c.key));
      else final.set(bytesToHex(c.key), [c.key, c.valueHash]);
    }
    store.reads.clear();
    const rewritten = await tree.update(built.root, block);
    expect(Math.max(...store.reads.values())).toBe(1);
    expect(bytesToHex(rewritten.root)).toBe(bytesToHex(referenceRoot([...final.values()])));
    store.put(rewritten.nodes);

    const emptied = await tree.update(
      rewritten.root,
      [...final.values()].map(([key]) => ({ key, valueHash: null })),
    );
    expect(emptied.root).toEqual(SMT_EMPTY_ROOT);
    expect(emptied.nodes).toEqual([]);
  });
});
