import { bytesToHex } from "../bytes.js";
import { sha256 } from "../hash.js";
import { allocBytes } from "../slab.js";
import { SmtError, SmtErrorCode } from "./errors.js";
import { isEmptyHash, SMT_LEAF_PREFIX, smtInteriorHash, smtLeafHash } from "./hash.js";

/**
 * How the tree is stored. The commitment is the binary tree of hash.ts; the store holds it in pages of four
 * binary levels, as Diem's Jellyfish Merkle tree does, so a path of ~17 binary levels at 100,000 keys is ~5
 * records to read and write instead of ~17 (docs/state-tree.md, "Records in the store").
 *
 * A page stands for a subtree at a depth that is a multiple of 4 holding two keys or more. It lists the 16
 * subtrees four levels below it ("slots", numbered by the four key bits in between): empty, a single key
 * (its leaf, kept inline: key and value hash), or two keys or more (the hash of the page below). The binary
 * nodes in between are not stored; they follow from the slots (`foldSlots`), which is also how a page's
 * store key, its binary root hash, is computed. A leaf record stands for a tree of one key, the only subtree
 * a page does not hold.
 *
 *   leaf record: 0x00 || key (32) || valueHash (32)                  store key SHA-256(record) = leaf hash
 *   page:        0x02 || present (u16) || leaves (u16) || per present slot, in slot order:
 *                  key (32) || valueHash (32) for a leaf, page hash (32) otherwise
 *                                                                    store key = foldSlots(slots).hash
 * Bit i of `present` (and of `leaves`), counting from the most significant, is slot i.
 */

export const SMT_PAGE_PREFIX = 0x02;
export const SMT_LEAF_RECORD_BYTES = 65;
/** Binary levels per page, and slots per page. */
export const PAGE_LEVELS = 4;
export const PAGE_SLOTS = 16;
const PAGE_HEADER_BYTES = 5;

export type PageSlot =
  | { kind: "leaf"; key: Uint8Array; valueHash: Uint8Array }
  | { kind: "interior"; hash: Uint8Array }
  | undefined;

export type SmtRecord = { kind: "leaf"; key: Uint8Array; valueHash: Uint8Array } | { kind: "page"; slots: PageSlot[] };

/** A binary subtree as the fold sees it: its hash and what it is. */
export interface FoldedNode {
  kind: "empty" | "leaf" | "interior";
  hash: Uint8Array;
}

const EMPTY_NODE: FoldedNode = { kind: "empty", hash: new Uint8Array(32) };

export function encodeSmtLeafRecord(key: Uint8Array, valueHash: Uint8Array): Uint8Array {
  const out = allocBytes(SMT_LEAF_RECORD_BYTES);
  out[0] = SMT_LEAF_PREFIX;
  out.set(key, 1);
  out.set(valueHash, 33);
  return out;
}

export function encodeSmtPage(slots: readonly PageSlot[]): Uint8Array {
  let present = 0;
  let leaves = 0;
  let length = PAGE_HEADER_BYTES;
  for (let i = 0; i < PAGE_SLOTS; i++) {
    const slot = slots[i];
    if (slot === undefined) continue;
    present |= 0x8000 >>> i;
    if (slot.kind === "leaf") leaves |= 0x8000 >>> i;
    length += slot.kind === "leaf" ? 64 : 32;
  }
  const out = allocBytes(length);
  out[0] = SMT_PAGE_PREFIX;
  out[1] = present >>> 8;
  out[2] = present & 0xff;
  out[3] = leaves >>> 8;
  out[4] = leaves & 0xff;
  let offset = PAGE_HEADER_BYTES;
  for (const slot of slots) {
    if (slot === undefined) continue;
    if (slot.kind === "leaf") {
      out.set(slot.key, offset);
      out.set(slot.valueHash, offset + 32);
      offset += 64;
    } else {
      out.set(slot.hash, offset);
      offset += 32;
    }
  }
  return out;
}

/** The binary node a slot stands for. */
function slotNode(slot: PageSlot): FoldedNode {
  if (slot === undefined) return EMPTY_NODE;
  if (slot.kind === "leaf") return { kind: "leaf", hash: smtLeafHash(slot.key, slot.valueHash) };
  return { kind: "interior", hash: slot.hash };
}

/** The nodes of the 16 slots (a loop, not `map`: a decoded page's empty slots are holes in its array). */
function nodesOfSlots(slots: readonly PageSlot[]): FoldedNode[] {
  const out: FoldedNode[] = new Array(PAGE_SLOTS);
  for (let i = 0; i < PAGE_SLOTS; i++) out[i] = slotNode(slots[i]);
  return out;
}

/**
 * The canonical parent of two binary subtrees (hash.ts): empty if both are, the leaf itself beside an empty
 * one (path compression), otherwise an interior node.
 */
function joinNodes(left: FoldedNode, right: FoldedNode): FoldedNode {
  if (left.kind === "empty" && right.kind !== "interior") return right;
  if (right.kind === "empty" && left.kind !== "interior") return left;
  return { kind: "interior", hash: smtInteriorHash(left.hash, right.hash) };
}

/** The binary levels of a page, bottom up: levels[4] holds the 16 slots' nodes, levels[0] the page's root. */
export function foldSlots(slots: readonly PageSlot[]): FoldedNode[][] {
  const levels: FoldedNode[][] = new Array(PAGE_LEVELS + 1);
  let level = nodesOfSlots(slots);
  levels[PAGE_LEVELS] = level;
  for (let t = PAGE_LEVELS - 1; t >= 0; t--) {
    const up: FoldedNode[] = new Array(level.length / 2);
    for (let i = 0; i < up.length; i++) up[i] = joinNodes(level[2 * i] as FoldedNode, level[2 * i + 1] as FoldedNode);
    levels[t] = up;
    level = up;
  }
  return levels;
}

/** The store key of a record: what a store can check an entry against. */
export function smtRecordHash(encoded: Uint8Array): Uint8Array {
  const record = decodeSmtRecord(encoded, new Uint8Array(32));
  if (record.kind === "leaf") return sha256(encoded);
  return pageRoot(record.slots).hash;
}

/** The binary root of a page: its store key, and what its parent's slot holds. */
export function pageRoot(slots: readonly PageSlot[]): FoldedNode {
  return (foldSlots(slots)[0] as FoldedNode[])[0] as FoldedNode;
}

/**
 * Decodes a stored record; `hash` is the key it was read under, for the error. Checks the layout and that a
 * page holds two keys or more (a page of one leaf or of nothing is never written).
 */
export function decodeSmtRecord(encoded: Uint8Array, hash: Uint8Array): SmtRecord {
  const corrupt = (reason: string) =>
    new SmtError(
      { code: SmtErrorCode.CORRUPT_NODE, hash: bytesToHex(hash), reason },
      `sparse Merkle node ${bytesToHex(hash)}: ${reason}`,
    );
  if (!(encoded instanceof Uint8Array) || encoded.length < 1) throw corrupt("empty record");
  if (encoded[0] === SMT_LEAF_PREFIX) {
    if (encoded.length !== SMT_LEAF_RECORD_BYTES) throw corrupt(`expected ${SMT_LEAF_RECORD_BYTES} bytes`);
    // subarray, not slice: records are read-only views and a copy per read would double the allocations.
    return { kind: "leaf", key: encoded.subarray(1, 33), valueHash: encoded.subarray(33, 65) };
  }
  if (encoded[0] !== SMT_PAGE_PREFIX) throw corrupt(`unknown node prefix ${encoded[0]}`);
  if (encoded.length < PAGE_HEADER_BYTES) throw corrupt("truncated page header");
  const present = ((encoded[1] as number) << 8) | (encoded[2] as number);
  const leaves = ((encoded[3] as number) << 8) | (encoded[4] as number);
  if ((leaves & ~present) !== 0) throw corrupt("a leaf slot that is not present");
  const slots: PageSlot[] = new Array(PAGE_SLOTS);
  let offset = PAGE_HEADER_BYTES;
  let count = 0;
  let interiors = 0;
  for (let i = 0; i < PAGE_SLOTS; i++) {
    const bit = 0x8000 >>> i;
    if ((present & bit) === 0) continue;
    count++;
    if ((leaves & bit) !== 0) {
      if (offset + 64 > encoded.length) throw corrupt("truncated page");
      slots[i] = {
        kind: "leaf",
        key: encoded.subarray(offset, offset + 32),
        valueHash: encoded.subarray(offset + 32, offset + 64),
      };
      offset += 64;
    } else {
      if (offset + 32 > encoded.length) throw corrupt("truncated page");
      const child = encoded.subarray(offset, offset + 32);
      if (isEmptyHash(child)) throw corrupt("a present slot with the empty hash");
      slots[i] = { kind: "interior", hash: child };
      interiors++;
      offset += 32;
    }
  }
  if (offset !== encoded.length) throw corrupt(`${encoded.length - offset} trailing bytes`);
  if (count < 2 && interiors === 0) throw corrupt("a page holding fewer than two keys");
  return { kind: "page", slots };
}
