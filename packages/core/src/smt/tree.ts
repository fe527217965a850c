import { assertBytes, equalBytes } from "../bytes.js";
import { isEmptyHash, keyBit, SMT_KEY_BITS, SMT_KEY_BYTES } from "./hash.js";
import { readNode, tooDeep } from "./read.js";
import type { SmtChange, SmtLeaf, SmtNodeStore, SmtProof, SmtUpdate } from "./types.js";
import { updateTree } from "./update.js";

/**
 * A binary sparse Merkle tree over 256-bit keys, path-compressed as in Diem's Jellyfish Merkle tree: a
 * subtree holding one key is that key's leaf, wherever it sits, so a path is about log2(keys) nodes long
 * rather than 256. The root is a function of the set of (key, valueHash) pairs alone (docs/state-tree.md):
 *   root(∅) = 32 zero bytes; root({(k, v)}) = SHA-256(0x00 || k || v);
 *   root(S) = SHA-256(0x01 || root(S with bit d of k = 0) || root(S with bit d = 1)) at depth d otherwise.
 *
 * The tree is a view over a caller's content-addressed store: it never writes, and `update` returns the new
 * nodes for the caller to persist atomically with the block. Old roots stay readable as long as their nodes
 * are kept, and versions share every unchanged node.
 *
 * Cost observed once (Node 24, in-memory Map store, random keys; not a benchmark): in a tree of 100,000 keys
 * (log2 = 16.6) a one-key update read 18 nodes, wrote 19 and hashed 19, ~0.18 ms, most of it allocation and
 * one await per level rather than SHA-256 (~1.2 µs a node); a batch of 10,000 new keys into it ~0.07 ms a
 * key; building 100,000 keys in one batch ~1.3 s; a proof ~0.05 ms. (Since then reads are synchronous.)
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
    const { leaf } = this.#walk(root, key, null);
    return leaf !== null && equalBytes(leaf.key, key) ? leaf.valueHash.slice() : null;
  }

  /** A proof of the key's value hash if present, of its absence if not; check it with `verifySmtProof`. */
  async prove(root: Uint8Array, key: Uint8Array): Promise<SmtProof> {
    const siblings: Uint8Array[] = [];
    const { leaf } = this.#walk(root, key, siblings);
    siblings.reverse();
    return { leaf: leaf === null ? null : { key: leaf.key.slice(), valueHash: leaf.valueHash.slice() }, siblings };
  }

  /** Follows `key` from `root` to a leaf or an empty subtree, collecting siblings root-first if asked. */
  #walk(root: Uint8Array, key: Uint8Array, siblings: Uint8Array[] | null): { leaf: SmtLeaf | null } {
    assertBytes(root, "root", 32);
    assertBytes(key, "key", SMT_KEY_BYTES);
    let hash = root;
    for (let depth = 0; ; depth++) {
      if (isEmptyHash(hash)) return { leaf: null };
      const node = readNode(this.#store, hash);
      if (node.kind === "leaf") return { leaf: node };
      if (depth >= SMT_KEY_BITS) throw tooDeep(hash);
      const [next, sibling] = keyBit(key, depth) === 0 ? [node.left, node.right] : [node.right, node.left];
      siblings?.push(sibling.slice());
      hash = next;
    }
  }
}
