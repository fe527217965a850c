import { type Codec, decodeTrusted } from "@hansa/core";

/**
 * Decoded state values, shared by every read of the same stored bytes. The committed state hands out one
 * Uint8Array per cached value, so the entries every transaction reads (chain meta, the sender's account and
 * membership, the namespace it writes to) decode once per value instead of once per read: decoding was a
 * fifth of a validator's allocations under load. Keyed weakly by those bytes, so an entry lives exactly as
 * long as the value it was decoded from.
 *
 * Shared values are frozen: a handler derives new values (spread, map) and never edits what it read.
 */
const shared = new WeakMap<Uint8Array, { codec: Codec<unknown>; value: unknown }>();

export function decodeShared<T>(codec: Codec<T>, raw: Uint8Array): T {
  const hit = shared.get(raw);
  if (hit !== undefined && hit.codec === codec) return hit.value as T;
  // Stored values were encoded by this code, so canonical by construction: the re-encode check of `decode`
  // is skipped. A failure here is corruption and must not become a receipt.
  const value = deepFreeze(decodeTrusted(codec, raw));
  shared.set(raw, { codec: codec as Codec<unknown>, value });
  return value;
}

/** Freezes plain objects and arrays all the way down; byte arrays cannot be frozen and are left as they are. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array || Object.isFrozen(value)) {
    return value;
  }
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
