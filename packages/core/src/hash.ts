import { hash } from "node:crypto";
import { concatBytes } from "./bytes.js";

/**
 * SHA-256, the only hash Hansa uses. node:crypto is ~4x faster than pure JS on the validator's hot path, and
 * its one-shot `hash` skips the Hash object `createHash` builds per call (transaction ids, tree nodes).
 */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(hash("sha256", data, "buffer"));
}

/**
 * SHA-256 over several parts. The parts here are small (tree nodes, domain-separated messages), so copying
 * them into one array for the one-shot `hash` costs less than a Hash object and an update per part.
 */
export function sha256Parts(...parts: Uint8Array[]): Uint8Array {
  return sha256(concatBytes(...parts));
}

export const HASH_LENGTH = 32;
