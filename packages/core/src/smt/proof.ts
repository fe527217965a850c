import { equalBytes } from "../bytes.js";
import { bytes, type Codec, decode, encode, list, nullable, struct } from "../encoding/index.js";
import { commonPrefixBits, isEmptyHash, keyBit, SMT_KEY_BITS, smtInteriorHash, smtLeafHash } from "./hash.js";
import type { SmtLeaf, SmtProof } from "./types.js";

const SmtLeafCodec: Codec<SmtLeaf> = struct("SmtLeaf", { key: bytes(32), valueHash: bytes(32) });

/** CBOR array [leaf: [key, valueHash] | null, siblings: [hash, ...]], siblings nearest first. */
export const SmtProofCodec: Codec<SmtProof> = struct("SmtProof", {
  leaf: nullable(SmtLeafCodec),
  siblings: list(bytes(32), { max: SMT_KEY_BITS }),
});

/** No proof is larger (256 siblings of 34 bytes plus the leaf); anything bigger is refused before parsing. */
export const SMT_PROOF_MAX_BYTES = 9 * 1024;

export function encodeSmtProof(proof: SmtProof): Uint8Array {
  return encode(SmtProofCodec, proof);
}

/** Decodes a proof from its canonical CBOR; throws EncodingError on anything else. */
export function decodeSmtProof(data: Uint8Array): SmtProof {
  return decode(SmtProofCodec, data, SMT_PROOF_MAX_BYTES);
}

const isHash = (v: unknown): v is Uint8Array => v instanceof Uint8Array && v.length === 32;

/**
 * Checks that, in the tree with root `root`, `key` holds `valueHash` — or, when `valueHash` is null, that
 * `key` is absent. Returns false, never throws, on any malformed input.
 *
 * The proof's walk ends at depth n = siblings.length at a leaf or an empty subtree; the verifier hashes that
 * terminal up through the siblings, taking the key's bits n-1 … 0 to know which side it is on. A leaf of
 * another key proves absence only if it shares the key's first n bits (it sits where the key would). A
 * nearest sibling that is empty would make the parent non-canonical (a lone leaf moves up; an empty pair is
 * empty), so such proofs are refused outright.
 */
export function verifySmtProof(
  root: Uint8Array,
  key: Uint8Array,
  valueHash: Uint8Array | null,
  proof: SmtProof,
): boolean {
  try {
    if (!isHash(root) || !isHash(key) || (valueHash !== null && !isHash(valueHash))) return false;
    if (typeof proof !== "object" || proof === null) return false;
    const { leaf, siblings } = proof;
    if (!Array.isArray(siblings) || siblings.length > SMT_KEY_BITS || !siblings.every(isHash)) return false;
    if (leaf !== null && (typeof leaf !== "object" || !isHash(leaf.key) || !isHash(leaf.valueHash))) return false;
    const n = siblings.length;
    if (valueHash !== null) {
      if (leaf === null || !equalBytes(leaf.key, key) || !equalBytes(leaf.valueHash, valueHash)) return false;
    } else if (leaf !== null && (equalBytes(leaf.key, key) || commonPrefixBits(leaf.key, key) < n)) {
      return false;
    }
    if (n > 0 && isEmptyHash(siblings[0] as Uint8Array)) return false;
    let hash = leaf === null ? new Uint8Array(32) : smtLeafHash(leaf.key, leaf.valueHash);
    for (let i = 0; i < n; i++) {
      const sibling = siblings[i] as Uint8Array;
      hash = keyBit(key, n - 1 - i) === 0 ? smtInteriorHash(hash, sibling) : smtInteriorHash(sibling, hash);
    }
    return equalBytes(hash, root);
  } catch {
    // A proof object with throwing getters or the like: malformed, so not a proof.
    return false;
  }
}
