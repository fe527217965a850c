import { equalBytes } from "../bytes.js";
import { leafHash, nodeHash, splitPoint, subtreeRoot } from "./tree.js";

function path(hashes: readonly Uint8Array[], index: number, lo: number, hi: number, out: Uint8Array[]): void {
  const n = hi - lo;
  if (n <= 1) return;
  const k = splitPoint(n);
  if (index < k) {
    path(hashes, index, lo, lo + k, out);
    out.push(subtreeRoot(hashes, lo + k, hi));
  } else {
    path(hashes, index - k, lo + k, hi, out);
    out.push(subtreeRoot(hashes, lo, lo + k));
  }
}

/** PATH(m, D[n]) of RFC 6962 2.1.1: the audit path of leaf `index`, nearest sibling first. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`"index" expected 0 <= index < ${leaves.length}, got ${index}`);
  }
  const out: Uint8Array[] = [];
  path(leaves.map(leafHash), index, 0, leaves.length, out);
  return out;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === 32;
}

/**
 * Verifies an audit path (RFC 9162 2.1.3.2, the same tree as RFC 6962). Returns false, never throws, on
 * any malformed input.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(leaf instanceof Uint8Array) || !isHash(root) || !Array.isArray(proof)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  // Bit operations below need 32-bit safe sizes; no real tree comes near 2^31 leaves.
  if (treeSize > 2 ** 31) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(leaf);
  for (const p of proof) {
    if (!isHash(p) || sn === 0) return false;
    if (fn & 1 || fn === sn) {
      r = nodeHash(p, r);
      while (!(fn & 1) && fn !== 0) {
        fn >>>= 1;
        sn >>>= 1;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && equalBytes(r, root);
}
