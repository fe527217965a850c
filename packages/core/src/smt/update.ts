import { compareBytes, equalBytes } from "../bytes.js";
import { isEmptyHash, keyBit, SMT_KEY_BITS } from "./hash.js";
import { encodeSmtInterior, encodeSmtLeaf, hashSmtNode } from "./node.js";
import { readNode, tooDeep } from "./read.js";
import type { SmtChange, SmtNodeEntry, SmtNodeStore, SmtUpdate } from "./types.js";

/**
 * The batched update: one recursive pass down the old tree, splitting the sorted changes by key bit at each
 * level, so every node on a changed path is read once and untouched subtrees are kept by hash without a read.
 */

interface Entry {
  key: Uint8Array;
  valueHash: Uint8Array | null;
  /** The leaf's hash when it is already in the store unchanged, so it is neither rehashed nor re-emitted. */
  stored?: Uint8Array;
}

type Kind = "empty" | "leaf" | "interior" | "unknown";

/** A rebuilt subtree: its hash and its kind when known. Its new nodes went to the update's output list. */
interface Sub {
  hash: Uint8Array;
  kind: Kind;
}

/** Subtree hashes are never written to, so every empty subtree can share one. */
const EMPTY: Sub = { hash: new Uint8Array(32), kind: "empty" };

/**
 * New nodes in post-order (children before parents), appended as subtrees are rebuilt: one list for the whole
 * update rather than one per subtree joined level by level.
 */
type Output = SmtNodeEntry[];

/** Sorts by key and keeps, of several changes to one key, the last in the caller's order. */
export function normalizeChanges(changes: ReadonlyArray<SmtChange>): Entry[] {
  // Array.prototype.sort is stable, so within a run of equal keys the caller's order survives.
  const sorted = changes
    .map((c) => ({ key: c.key, valueHash: c.valueHash }))
    .sort((a, b) => compareBytes(a.key, b.key));
  const out: Entry[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && equalBytes(last.key, e.key)) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

/** First index in [lo, hi) whose key has bit `depth` set; the keys share their first `depth` bits and are sorted. */
function splitIndex(entries: readonly Entry[], lo: number, hi: number, depth: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (keyBit((entries[mid] as Entry).key, depth) === 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * The canonical parent of two subtrees: empty if both are, the leaf itself if the other is empty (the path
 * compression), otherwise a new interior node. A child of unknown kind beside an empty one must be read to
 * tell which, which the caller does before calling.
 */
function join(left: Sub, right: Sub, out: Output): Sub {
  if (left.kind === "empty" && right.kind === "empty") return EMPTY;
  if (left.kind === "empty" && right.kind === "leaf") return right;
  if (right.kind === "empty" && left.kind === "leaf") return left;
  const node = hashSmtNode(encodeSmtInterior(left.hash, right.hash));
  out.push(node);
  return { hash: node[0], kind: "interior" };
}

/** Builds the subtree at `depth` holding exactly the non-deleted entries of [lo, hi). */
function build(entries: readonly Entry[], lo: number, hi: number, depth: number, out: Output): Sub {
  if (lo === hi) return EMPTY;
  if (hi - lo === 1) {
    const e = entries[lo] as Entry;
    if (e.valueHash === null) return EMPTY;
    if (e.stored !== undefined) return { hash: e.stored, kind: "leaf" };
    const node = hashSmtNode(encodeSmtLeaf(e.key, e.valueHash));
    out.push(node);
    return { hash: node[0], kind: "leaf" };
  }
  const mid = splitIndex(entries, lo, hi, depth);
  const left = build(entries, lo, mid, depth + 1, out);
  return join(left, build(entries, mid, hi, depth + 1, out), out);
}

/** Entries [lo, hi) merged with the one leaf that held this subtree; a change to its key replaces it. */
function mergeLeaf(entries: readonly Entry[], lo: number, hi: number, leaf: Entry): Entry[] {
  const out: Entry[] = [];
  let placed = false;
  for (let i = lo; i < hi; i++) {
    const e = entries[i] as Entry;
    if (!placed) {
      const order = compareBytes(leaf.key, e.key);
      if (order < 0) {
        out.push(leaf);
        placed = true;
      } else if (order === 0) {
        placed = true;
        // Setting a key to the value it already has keeps the stored leaf: nothing to rehash or write.
        const same = e.valueHash !== null && equalBytes(e.valueHash, leaf.valueHash as Uint8Array);
        out.push(same ? leaf : e);
        continue;
      }
    }
    out.push(e);
  }
  if (!placed) out.push(leaf);
  return out;
}

function kindOf(store: SmtNodeStore, sub: Sub): Sub {
  if (sub.kind !== "unknown") return sub;
  return { hash: sub.hash, kind: readNode(store, sub.hash).kind };
}

/** An untouched child is kept by hash; its kind is known without a read only when it is empty. */
function keep(hash: Uint8Array): Sub {
  return isEmptyHash(hash) ? EMPTY : { hash, kind: "unknown" };
}

/** Applies the changes [lo, hi) (non-empty, sharing their first `depth` bits) to the subtree `hash`. */
function apply(
  store: SmtNodeStore,
  hash: Uint8Array,
  depth: number,
  entries: readonly Entry[],
  lo: number,
  hi: number,
  out: Output,
): Sub {
  if (isEmptyHash(hash)) return build(entries, lo, hi, depth, out);
  const node = readNode(store, hash);
  if (node.kind === "leaf") {
    const leaf: Entry = { key: node.key, valueHash: node.valueHash, stored: hash };
    const merged = mergeLeaf(entries, lo, hi, leaf);
    return build(merged, 0, merged.length, depth, out);
  }
  // Two distinct keys part by bit 255 at the latest, so no interior node sits at depth 256.
  if (depth >= SMT_KEY_BITS) throw tooDeep(hash);
  const mid = splitIndex(entries, lo, hi, depth);
  const mark = out.length;
  let left = mid > lo ? apply(store, node.left, depth + 1, entries, lo, mid, out) : keep(node.left);
  let right = hi > mid ? apply(store, node.right, depth + 1, entries, mid, hi, out) : keep(node.right);
  if (equalBytes(left.hash, node.left) && equalBytes(right.hash, node.right)) {
    // Unchanged after all (every change set a value the key already had): nothing below is new.
    out.length = mark;
    return { hash, kind: "interior" };
  }
  // Only beside an emptied sibling does it matter whether an untouched child is a leaf (and so moves up).
  if (left.kind === "empty") right = kindOf(store, right);
  if (right.kind === "empty") left = kindOf(store, left);
  return join(left, right, out);
}

export function updateTree(store: SmtNodeStore, root: Uint8Array, changes: ReadonlyArray<SmtChange>): SmtUpdate {
  const entries = normalizeChanges(changes);
  if (entries.length === 0) return { root: root.slice(), nodes: [] };
  const nodes: Output = [];
  const sub = apply(store, root, 0, entries, 0, entries.length, nodes);
  return { root: sub.hash.slice(), nodes };
}
