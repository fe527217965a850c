import { bytesToHex } from "../bytes.js";
import { sha256 } from "../hash.js";
import { allocBytes } from "../slab.js";
import { SmtError, SmtErrorCode } from "./errors.js";
import { SMT_INTERIOR_PREFIX, SMT_LEAF_PREFIX } from "./hash.js";

/**
 * A node's encoding is exactly the preimage of its hash, 65 bytes:
 *   leaf:     0x00 || key (32) || valueHash (32)
 *   interior: 0x01 || left (32) || right (32)
 * so hash = SHA-256(encoding) and a store entry can be checked by hashing its value.
 */

export const SMT_NODE_BYTES = 65;

export type SmtNode =
  | { kind: "leaf"; key: Uint8Array; valueHash: Uint8Array }
  | { kind: "interior"; left: Uint8Array; right: Uint8Array };

function encode(prefix: number, a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = allocBytes(SMT_NODE_BYTES);
  out[0] = prefix;
  out.set(a, 1);
  out.set(b, 33);
  return out;
}

export function encodeSmtLeaf(key: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return encode(SMT_LEAF_PREFIX, key, valueHash);
}

export function encodeSmtInterior(left: Uint8Array, right: Uint8Array): Uint8Array {
  return encode(SMT_INTERIOR_PREFIX, left, right);
}

/** A node and its hash, ready for the caller's store. */
export function hashSmtNode(encoded: Uint8Array): [hash: Uint8Array, encodedNode: Uint8Array] {
  return [sha256(encoded), encoded];
}

/** Decodes a stored node; `hash` is the key it was read under, for the error. */
export function decodeSmtNode(encoded: Uint8Array, hash: Uint8Array): SmtNode {
  const corrupt = (reason: string) =>
    new SmtError(
      { code: SmtErrorCode.CORRUPT_NODE, hash: bytesToHex(hash), reason },
      `sparse Merkle node ${bytesToHex(hash)}: ${reason}`,
    );
  if (!(encoded instanceof Uint8Array) || encoded.length !== SMT_NODE_BYTES) {
    throw corrupt(`expected ${SMT_NODE_BYTES} bytes`);
  }
  // subarray, not slice: nodes are read-only views and a copy per read would double the allocations.
  const a = encoded.subarray(1, 33);
  const b = encoded.subarray(33, 65);
  if (encoded[0] === SMT_LEAF_PREFIX) return { kind: "leaf", key: a, valueHash: b };
  if (encoded[0] === SMT_INTERIOR_PREFIX) return { kind: "interior", left: a, right: b };
  throw corrupt(`unknown node prefix ${encoded[0]}`);
}
