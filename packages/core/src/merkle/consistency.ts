import { equalBytes } from "../bytes.js";
import { EMPTY_ROOT, leafHash, nodeHash, splitPoint, subtreeRoot } from "./tree.js";

/** SUBPROOF(m, D[lo:hi], b) of RFC 6962 2.1.2. */
function subproof(
  hashes: readonly Uint8Array[],
  m: number,
  lo: number,
  hi: number,
  complete: boolean,
  out: Uint8Array[],
): void {
  const n = hi - lo;
  if (m === n) {
    if (!complete) out.push(subtreeRoot(hashes, lo, hi));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(hashes, m, lo, lo + k, complete, out);
    out.push(subtreeRoot(hashes, lo + k, hi));
  } else {
    subproof(hashes, m - k, lo + k, hi, false, out);
    out.push(subtreeRoot(hashes, lo, lo + k));
  }
}

/**
 * PROOF(m, D[n]) of RFC 6962 2.1.2: shows the tree of the first `oldSize` leaves is a prefix of the tree of
 * all `leaves`. Empty when oldSize is 0 or equals the number of leaves.
 */
export function consistencyProof(leaves: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > leaves.length) {
    throw new RangeError(`"oldSize" expected 0 <= oldSize <= ${leaves.length}, got ${oldSize}`);
  }
  const out: Uint8Array[] = [];
  if (oldSize === 0 || oldSize === leaves.length) return out;
  subproof(leaves.map(leafHash), oldSize, 0, leaves.length, true, out);
  return out;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === 32;
}

/**
 * Verifies a consistency proof (RFC 9162 2.1.4.2, the same tree as RFC 6962). Returns false, never throws,
 * on any malformed input.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof)) return false;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize)
    return false;
  if (newSize > 2 ** 31) return false;
  // Every tree extends the empty one, whose root is fixed: an empty "old tree" with another root is no tree.
  if (oldSize === 0) {
    return proof.length === 0 && equalBytes(oldRoot, EMPTY_ROOT) && (newSize > 0 || equalBytes(newRoot, EMPTY_ROOT));
  }
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0 || !proof.every(isHash)) return false;

  // When the old tree is a complete subtree, its root is the proof's implied first element.
  const path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn & 1) {
    fn >>>= 1;
    sn >>>= 1;
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!(fn & 1) && fn !== 0) {
        fn >>>= 1;
        sn >>>= 1;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}
