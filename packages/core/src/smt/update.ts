import { compareBytes, equalBytes } from "../bytes.js";
import { isEmptyHash, smtLeafHash } from "./hash.js";
import { encodeSmtLeafRecord, encodeSmtPage, PAGE_LEVELS, PAGE_SLOTS, type PageSlot, pageRoot } from "./node.js";
import { checkedPage, keyNibble, readPage, readRecord } from "./read.js";
import type { SmtChange, SmtNodeEntry, SmtNodeStore, SmtUpdate } from "./types.js";

/**
 * The batched update: one recursive pass down the old tree a page at a time, splitting the sorted changes by
 * the four key bits of each page, so every page on a changed path is read once and untouched subtrees are
 * kept by hash without a read. A rebuilt page is folded to its binary root (node.ts), which is its store key
 * and what its parent holds.
 */

interface Entry {
  key: Uint8Array;
  valueHash: Uint8Array | null;
}

/**
 * New records in post-order (children before parents), appended as subtrees are rebuilt: one list for the
 * whole update rather than one per subtree joined level by level.
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

/** First index in [lo, hi) whose key's slot at `depth` is `slot` or later; the keys are sorted. */
function slotStart(entries: readonly Entry[], lo: number, hi: number, depth: number, slot: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (keyNibble((entries[mid] as Entry).key, depth) < slot) a = mid + 1;
    else b = mid;
  }
  return a;
}

function sameSlot(a: PageSlot, b: PageSlot): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === "interior") return b.kind === "interior" && equalBytes(a.hash, b.hash);
  return b.kind === "leaf" && equalBytes(a.key, b.key) && equalBytes(a.valueHash, b.valueHash);
}

/**
 * The subtree whose 16 slots are `slots` (at a depth that is a multiple of 4): empty, the one leaf left (which
 * then moves up into the parent's slot), or a new page, emitted.
 */
function assemble(slots: PageSlot[], out: Output): PageSlot {
  let only: PageSlot;
  let count = 0;
  for (const slot of slots) {
    if (slot === undefined) continue;
    count++;
    only = slot;
  }
  if (count === 0) return undefined;
  if (count === 1 && only?.kind === "leaf") return only;
  const root = pageRoot(slots);
  out.push([root.hash, encodeSmtPage(slots)]);
  return { kind: "interior", hash: root.hash };
}

/** Builds the subtree at `depth` holding exactly the non-deleted entries of [lo, hi). */
function build(entries: readonly Entry[], lo: number, hi: number, depth: number, out: Output): PageSlot {
  let live = -1;
  let count = 0;
  for (let i = lo; i < hi && count < 2; i++) {
    if ((entries[i] as Entry).valueHash !== null) {
      live = i;
      count++;
    }
  }
  if (count === 0) return undefined;
  if (count === 1) {
    const e = entries[live] as Entry;
    return { kind: "leaf", key: e.key, valueHash: e.valueHash as Uint8Array };
  }
  // Two distinct keys part by bit 255 at the latest, so they never share a slot of a page at depth 252.
  const slots: PageSlot[] = new Array(PAGE_SLOTS);
  let start = lo;
  for (let slot = 0; slot < PAGE_SLOTS && start < hi; slot++) {
    const end = slotStart(entries, start, hi, depth, slot + 1);
    if (end > start) slots[slot] = build(entries, start, end, depth + PAGE_LEVELS, out);
    start = end;
  }
  return assemble(slots, out);
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
        out.push(e);
        continue;
      }
    }
    out.push(e);
  }
  if (!placed) out.push(leaf);
  return out;
}

/** What every step of one update shares: where pages are read, the sorted changes, where new records go. */
interface Pass {
  store: SmtNodeStore;
  entries: readonly Entry[];
  out: Output;
}

/** Applies the changes [lo, hi) (non-empty, sharing their first `depth` bits) to the subtree in `slot`. */
function apply(pass: Pass, slot: PageSlot, depth: number, lo: number, hi: number): PageSlot {
  if (slot === undefined) return build(pass.entries, lo, hi, depth, pass.out);
  if (slot.kind === "leaf") {
    const merged = mergeLeaf(pass.entries, lo, hi, slot);
    return build(merged, 0, merged.length, depth, pass.out);
  }
  return applyToPage(pass, slot, readPage(pass.store, slot.hash, depth), depth, lo, hi);
}

/** `apply` to the page `slot` points to, already read as `old`. */
function applyToPage(pass: Pass, slot: PageSlot, old: PageSlot[], depth: number, lo: number, hi: number): PageSlot {
  const mark = pass.out.length;
  const slots = old.slice();
  let changed = false;
  let start = lo;
  for (let i = 0; i < PAGE_SLOTS && start < hi; i++) {
    const end = slotStart(pass.entries, start, hi, depth, i + 1);
    if (end > start) {
      const next = apply(pass, old[i], depth + PAGE_LEVELS, start, end);
      if (!sameSlot(next, old[i])) changed = true;
      slots[i] = next;
    }
    start = end;
  }
  if (!changed) {
    // Every change set a value the key already had, or deleted an absent key: nothing below is new.
    pass.out.length = mark;
    return slot;
  }
  return assemble(slots, pass.out);
}

export function updateTree(store: SmtNodeStore, root: Uint8Array, changes: ReadonlyArray<SmtChange>): SmtUpdate {
  const entries = normalizeChanges(changes);
  if (entries.length === 0) return { root: root.slice(), nodes: [] };
  const nodes: Output = [];
  const pass: Pass = { store, entries, out: nodes };
  let after: PageSlot;
  if (isEmptyHash(root)) {
    after = build(entries, 0, entries.length, 0, nodes);
  } else {
    // The root is a page, or a leaf record for a tree of one key.
    const record = readRecord(store, root);
    after =
      record.kind === "leaf"
        ? apply(pass, record, 0, 0, entries.length)
        : applyToPage(pass, { kind: "interior", hash: root }, checkedPage(record, root, 0), 0, 0, entries.length);
  }
  if (after === undefined) return { root: new Uint8Array(32), nodes };
  if (after.kind === "interior") return { root: after.hash.slice(), nodes };
  // A tree of one key: its leaf is the root, and a leaf record is what the store holds for it.
  const hash = smtLeafHash(after.key, after.valueHash);
  if (!equalBytes(hash, root)) nodes.push([hash, encodeSmtLeafRecord(after.key, after.valueHash)]);
  return { root: hash, nodes };
}
