import { createHash } from "node:crypto";
import {
  bytesToHex,
  SMT_EMPTY_ROOT,
  type SmtChange,
  SparseMerkleTree,
  smtInteriorHash,
  smtLeafHash,
  verifySmtProof,
} from "@hansa/core";
import { describe, expect, it } from "vitest";
import { bytes32, MemoryStore } from "./memory-store.js";

// Keys chosen for their shapes: A and B share their first two bits, C and D only differ in bit 255.
const kA = bytes32(`${"00".repeat(31)}01`);
const kB = bytes32("20");
const kC = bytes32("80");
const kD = bytes32(`80${"00".repeat(30)}01`);
const value = (s: string) => new Uint8Array(createHash("sha256").update(s).digest());
const [vA, vB, vC, vD] = [value("a"), value("b"), value("c"), value("d")];
const E = new Uint8Array(32);

// Hand-computed with an independent SHA-256 (Python hashlib) from the definition in docs/state-tree.md.
const ROOTS = {
  A: "c25df34c0a70ad75eab38cc393e1265ce80ebda0bd94d717aaa52227691b5dc0",
  AC: "4661b408a17cb9c560422a60debf4b01722125e667e9e0a7ed7f21adef378e15",
  AB: "61da74e3d1f04f3a1aec2edd2521b55c39dca31a562596bfc445f23dfcbb560e",
  ABC: "69614f7824dc87681b4332022eb370d99376f32449dcc83755281170fb491a1f",
  CD: "c98fffc72b67079a96fc3784f07afed5dc488e8e22dea25571c38bee71ba5068",
  ABCD: "c6f131f6259ee035496a86ec12e4e412fa0aab2fd9fd74baab16afa37f5128c1",
} as const;

const set = (key: Uint8Array, valueHash: Uint8Array | null): SmtChange => ({ key, valueHash });
const A = set(kA, vA);
const B = set(kB, vB);
const C = set(kC, vC);
const D = set(kD, vD);

async function build(changes: SmtChange[]) {
  const store = new MemoryStore();
  const tree = new SparseMerkleTree(store);
  const { root, nodes } = await tree.update(SMT_EMPTY_ROOT, changes);
  store.put(nodes);
  return { store, tree, root, nodes };
}

describe("sparse Merkle tree: hand-computed roots", () => {
  it("hashes leaves and interior nodes with their prefixes", () => {
    const sha = (...parts: Uint8Array[]) => {
      const h = createHash("sha256");
      for (const p of parts) h.update(p);
      return bytesToHex(h.digest());
    };
    expect(bytesToHex(smtLeafHash(kA, vA))).toBe(ROOTS.A);
    expect(bytesToHex(smtLeafHash(kA, vA))).toBe(sha(Uint8Array.of(0), kA, vA));
    expect(bytesToHex(smtInteriorHash(vA, vB))).toBe(sha(Uint8Array.of(1), vA, vB));
  });

  it("has 32 zero bytes as the empty root", async () => {
    expect(SMT_EMPTY_ROOT).toEqual(new Uint8Array(32));
    const { root, nodes } = await build([]);
    expect(root).toEqual(E);
    expect(nodes).toEqual([]);
  });

  it.each([
    ["A", [A]],
    ["AC", [A, C]],
    ["AB", [A, B]],
    ["ABC", [A, B, C]],
    ["CD", [C, D]],
    ["ABCD", [A, B, C, D]],
  ] as const)("tree %s", async (name, changes) => {
    const expected = ROOTS[name];
    expect(bytesToHex((await build([...changes])).root)).toBe(expected);
    expect(bytesToHex((await build([...changes].reverse())).root)).toBe(expected);
    // One change at a time, each on top of the last stored root.
    const store = new MemoryStore();
    const tree = new SparseMerkleTree(store);
    let root = SMT_EMPTY_ROOT;
    for (const c of changes) {
      const u = await tree.update(root, [c]);
      store.put(u.nodes);
      root = u.root;
    }
    expect(bytesToHex(root)).toBe(expected);
  });

  it("collapses back when keys are deleted", async () => {
    const { tree, store, root } = await build([A, B, C, D]);
    const noD = await tree.update(root, [set(kD, null)]);
    expect(bytesToHex(noD.root)).toBe(ROOTS.ABC);
    // Removing B leaves A alone under its subtree: A moves up to beside C, an existing leaf, so only the root
    // is new.
    store.put(noD.nodes);
    const noB = await tree.update(noD.root, [set(kB, null)]);
    expect(bytesToHex(noB.root)).toBe(ROOTS.AC);
    expect(noB.nodes.length).toBe(1);
    const none = await tree.update(root, [set(kA, null), set(kB, null), set(kC, null), set(kD, null)]);
    expect(none.root).toEqual(E);
    expect(none.nodes).toEqual([]);
  });

  it("emits only new records, children before parents", async () => {
    const { tree, root, nodes } = await build([A, B, C]);
    // A, B and C differ in their first four bits: one page, holding the three leaves.
    expect(nodes.length).toBe(1);
    expect(bytesToHex(nodes[0]?.[0] as Uint8Array)).toBe(ROOTS.ABC);
    const same = await tree.update(root, [A, set(bytes32("40"), null)]);
    expect(same.root).toEqual(root);
    expect(same.nodes).toEqual([]);
    const changed = await tree.update(root, [set(kA, vD)]);
    expect(changed.nodes.length).toBe(1);
    // C and D share 255 bits: a page for every four of the 256 levels, the deepest first.
    const deep = await build([C, D]);
    expect(deep.nodes.length).toBe(64);
    expect(bytesToHex(deep.nodes[63]?.[0] as Uint8Array)).toBe(ROOTS.CD);
    // A tree of one key is stored as its leaf.
    expect((await build([A])).nodes).toEqual([[smtLeafHash(kA, vA), Uint8Array.of(0, ...kA, ...vA)]]);
  });

  it("lets the last of several changes to one key win", async () => {
    expect(bytesToHex((await build([set(kA, vB), C, A])).root)).toBe(ROOTS.AC);
    expect((await build([A, set(kA, null)])).root).toEqual(E);
    const { tree, root } = await build([A, B]);
    expect(bytesToHex((await tree.update(root, [set(kB, null), B])).root)).toBe(ROOTS.AB);
  });

  it("reads values back", async () => {
    const { tree, root } = await build([A, B, C, D]);
    expect(await tree.get(root, kA)).toEqual(vA);
    expect(await tree.get(root, kD)).toEqual(vD);
    expect(await tree.get(root, bytes32("40"))).toBeNull();
    expect(await tree.get(root, bytes32(`80${"00".repeat(30)}02`))).toBeNull();
    expect(await tree.get(SMT_EMPTY_ROOT, kA)).toBeNull();
  });
});

describe("sparse Merkle tree: proofs of a small tree", () => {
  it("proves a member with its siblings, nearest first", async () => {
    const { tree, root } = await build([A, B]);
    const proof = await tree.prove(root, kA);
    expect(proof).toEqual({ leaf: { key: kA, valueHash: vA }, siblings: [smtLeafHash(kB, vB), E, E] });
    expect(verifySmtProof(root, kA, vA, proof)).toBe(true);
    expect(verifySmtProof(root, kA, vB, proof)).toBe(false);
    expect(verifySmtProof(root, kA, null, proof)).toBe(false);
  });

  it("proves absence by an empty subtree", async () => {
    const { tree, root } = await build([A, B]);
    const k = bytes32("40"); // bits 01: left of the root, then into the empty right half
    const proof = await tree.prove(root, k);
    expect(proof).toEqual({ leaf: null, siblings: [smtInteriorHash(smtLeafHash(kA, vA), smtLeafHash(kB, vB)), E] });
    expect(verifySmtProof(root, k, null, proof)).toBe(true);
    expect(verifySmtProof(root, k, vA, proof)).toBe(false);
  });

  it("proves absence by another key's leaf that shares the path", async () => {
    const { tree, root } = await build([A, C]);
    const k = bytes32("01"); // bit 0 is 0, like A's: the walk ends at A's leaf
    const proof = await tree.prove(root, k);
    expect(proof).toEqual({ leaf: { key: kA, valueHash: vA }, siblings: [smtLeafHash(kC, vC)] });
    expect(verifySmtProof(root, k, null, proof)).toBe(true);
    // The same leaf does not prove the absence of A itself, nor of a key on the other side of the root.
    expect(verifySmtProof(root, kA, null, proof)).toBe(false);
    expect(verifySmtProof(root, bytes32("81"), null, proof)).toBe(false);
  });

  it("proves the deepest pair, 256 levels down", async () => {
    const { tree, root } = await build([C, D]);
    const proof = await tree.prove(root, kD);
    expect(proof.siblings.length).toBe(256);
    expect(verifySmtProof(root, kD, vD, proof)).toBe(true);
    expect(verifySmtProof(root, kD, vC, proof)).toBe(false);
  });

  it("proves anything absent from the empty tree with an empty proof", async () => {
    const { tree } = await build([]);
    const proof = await tree.prove(SMT_EMPTY_ROOT, kA);
    expect(proof).toEqual({ leaf: null, siblings: [] });
    expect(verifySmtProof(SMT_EMPTY_ROOT, kA, null, proof)).toBe(true);
    expect(verifySmtProof(SMT_EMPTY_ROOT, kA, vA, proof)).toBe(false);
  });

  it("refuses a proof that extends a path with an empty sibling", async () => {
    const { tree, root } = await build([A, C]);
    const proof = await tree.prove(root, kA);
    // [E, LC] would hash to a node that a canonical tree never holds; refused even before hashing.
    expect(verifySmtProof(root, kA, vA, { ...proof, siblings: [E, ...proof.siblings] })).toBe(false);
  });
});
