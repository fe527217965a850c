import { sha256, sha256Pair, sha256Parts } from "../hash.js";

/**
 * Merkle trees exactly as RFC 6962 section 2.1: leaves hashed as SHA-256(0x00 || leaf), interior nodes as
 * SHA-256(0x01 || left || right), a tree of n leaves split at the largest power of two smaller than n, and
 * the empty tree's root SHA-256 of nothing. The prefixes keep a leaf from passing for an interior node.
 */

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = 0x01;

export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256Parts(LEAF_PREFIX, leaf);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Pair(NODE_PREFIX, left, right);
}

export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Root of the subtree over already-hashed leaves [lo, hi). */
export function subtreeRoot(hashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return hashes[lo] as Uint8Array;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(hashes, lo, lo + k), subtreeRoot(hashes, lo + k, hi));
}

/** MTH(D[n]): the root of a tree over `leaves`. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return subtreeRoot(leaves.map(leafHash), 0, leaves.length);
}
