import { assertBytes, equalBytes } from "../bytes.js";
import { isEmptyHash, SMT_KEY_BYTES } from "./hash.js";
import { type FoldedNode, foldSlots, PAGE_LEVELS, type PageSlot } from "./node.js";
import { checkedPage, keyNibble, readPage, readRecord } from "./read.js";
import type { SmtChange, SmtLeaf, SmtNodeStore, SmtProof, SmtUpdate } from "./types.js";
import { updateTree } from "./update.js";

/**
 * A binary sparse Merkle tree over 256-bit keys, path-compressed as in Diem's Jellyfish Merkle tree: a
 * subtree holding one key is that key's leaf, wherever it sits, so a path is about log2(keys) nodes long
 * rather than 256. The root is a function of the set of (key, valueHash) pairs alone (docs/state-tree.md):
 *   root(∅) = 32 zero bytes; root({(k, v)}) = SHA-256(0x00 || k || v);
 *   root(S) = SHA-256(0x01 || root(S with bit d of k = 0) || root(S with bit d = 1)) at depth d otherwise.
 *
 * The tree is a view over a caller's store, keyed by the hashes of the binary tree: it never writes, and
 * `update` returns the new records for the caller to persist atomically with the block. Old roots stay
 * readable as long as their records are kept, and versions share every unchanged page. The store holds the
 * binary tree in pages of four levels (node.ts), so an update reads and writes a record per four levels.
 */
export class SparseMerkleTree {
  readonly #store: SmtNodeStore;

  constructor(store: SmtNodeStore) {
    this.#store = store;
  }

  /**
   * Applies `changes` to the tree under `root` in one pass and returns the new root and the nodes to persist.
   * Changes may come in any order; of several changes to one key the last in the array wins. A batch gives
   * the same root as the same changes applied one at a time.
   */
  async update(root: Uint8Array, changes: ReadonlyArray<SmtChange>): Promise<SmtUpdate> {
    assertBytes(root, "root", 32);
    if (!Array.isArray(changes)) throw new TypeError(`"changes" expected an array`);
    changes.forEach((c, i) => {
      assertBytes(c?.key, `changes[${i}].key`, SMT_KEY_BYTES);
      if (c.valueHash !== null) assertBytes(c.valueHash, `changes[${i}].valueHash`, 32);
    });
    return updateTree(this.#store, root, changes);
  }

  /** The value hash stored under `key`, or null when the key is absent. */
  async get(root: Uint8Array, key: Uint8Array): Promise<Uint8Array | null> {
    assertBytes(root, "root", 32);
    assertBytes(key, "key", SMT_KEY_BYTES);
    let found = this.#open(root);
    // A leaf sits in the slot its key names, so a lookup needs no binary node in between.
    for (let depth = 0; Array.isArray(found); depth += PAGE_LEVELS) {
      const slot = found[keyNibble(key, depth)];
      found = slot?.kind === "interior" ? readPage(this.#store, slot.hash, depth + PAGE_LEVELS) : (slot ?? null);
    }
    return found !== null && equalBytes(found.key, key) ? found.valueHash.slice() : null;
  }

  /** A proof of the key's value hash if present, of its absence if not; check it with `verifySmtProof`. */
  async prove(root: Uint8Array, key: Uint8Array): Promise<SmtProof> {
    assertBytes(root, "root", 32);
    assertBytes(key, "key", SMT_KEY_BYTES);
    const siblings: Uint8Array[] = [];
    const leaf = this.#walk(root, key, siblings);
    siblings.reverse();
    return { leaf: leaf === null ? null : { key: leaf.key.slice(), valueHash: leaf.valueHash.slice() }, siblings };
  }

  /** What `root` stands for: nothing, a tree of one key (its leaf), or the slots of the root page. */
  #open(root: Uint8Array): SmtLeaf | PageSlot[] | null {
    if (isEmptyHash(root)) return null;
    const record = readRecord(this.#store, root);
    return record.kind === "leaf" ? record : checkedPage(record, root, 0);
  }

  /**
   * Follows `key` down the binary tree from `root` to a leaf or an empty subtree, collecting the siblings
   * root-first. Inside a page the binary nodes are folded from its slots.
   */
  #walk(root: Uint8Array, key: Uint8Array, siblings: Uint8Array[]): SmtLeaf | null {
    const top = this.#open(root);
    if (!Array.isArray(top)) return top;
    let slots = top;
    for (let depth = 0; ; depth += PAGE_LEVELS) {
      const levels = foldSlots(slots);
      const slot = keyNibble(key, depth);
      // levels[t] holds the binary nodes at depth + t; the key's node there is number slot >> (4 - t).
      for (let t = 0; t < PAGE_LEVELS; t++) {
        const node = (levels[t] as FoldedNode[])[slot >>> (PAGE_LEVELS - t)] as FoldedNode;
        if (node.kind === "empty") return null;
        if (node.kind === "leaf") return onlyLeafUnder(slots, slot >>> (PAGE_LEVELS - t), PAGE_LEVELS - t);
        const siblingIndex = (slot >>> (PAGE_LEVELS - t - 1)) ^ 1;
        siblings.push(((levels[t + 1] as FoldedNode[])[siblingIndex] as FoldedNode).hash.slice());
      }
      const next = slots[slot];
      if (next === undefined) return null;
      if (next.kind === "leaf") return next;
      slots = readPage(this.#store, next.hash, depth + PAGE_LEVELS);
    }
  }
}

/** The one leaf among the 2^span slots under binary node `index` (a leaf there means exactly one). */
function onlyLeafUnder(slots: readonly PageSlot[], index: number, span: number): SmtLeaf {
  const first = index << span;
  for (let i = first; i < first + (1 << span); i++) {
    const slot = slots[i];
    if (slot?.kind === "leaf") return slot;
  }
  throw new Error("unreachable: a folded leaf with no leaf slot under it");
}
