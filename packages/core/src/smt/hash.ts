import { sha256Pair } from "../hash.js";

/**
 * Hashing of the sparse Merkle tree. Leaves and interior nodes carry different one-byte prefixes, so a leaf
 * can never pass for an interior node or the reverse, and the empty subtree is 32 zero bytes, which no
 * SHA-256 output is known to equal.
 */

export const SMT_KEY_BYTES = 32;
export const SMT_KEY_BITS = 256;
export const SMT_LEAF_PREFIX = 0x00;
export const SMT_INTERIOR_PREFIX = 0x01;

/** The root of the tree with no keys, and the hash of every empty subtree: 32 zero bytes. */
export const SMT_EMPTY_ROOT: Uint8Array = new Uint8Array(32);

/** Whether `hash` is the empty-subtree hash. Checks the bytes, so a caller mutating SMT_EMPTY_ROOT harms nothing. */
export function isEmptyHash(hash: Uint8Array): boolean {
  for (let i = 0; i < hash.length; i++) if (hash[i] !== 0) return false;
  return hash.length === 32;
}

/** SHA-256(0x00 || key || valueHash). */
export function smtLeafHash(key: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return sha256Pair(SMT_LEAF_PREFIX, key, valueHash);
}

/** SHA-256(0x01 || left || right). */
export function smtInteriorHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Pair(SMT_INTERIOR_PREFIX, left, right);
}

/** Bit `depth` of `key`, most significant bit of byte 0 first; 0 goes left, 1 goes right. */
export function keyBit(key: Uint8Array, depth: number): number {
  return ((key[depth >>> 3] as number) >>> (7 - (depth & 7))) & 1;
}

/** How many leading bits `a` and `b` share (256 when equal). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < SMT_KEY_BYTES; i++) {
    const x = (a[i] as number) ^ (b[i] as number);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return SMT_KEY_BITS;
}
