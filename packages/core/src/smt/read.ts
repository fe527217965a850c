import { bytesToHex } from "../bytes.js";
import { SmtError, SmtErrorCode } from "./errors.js";
import { SMT_KEY_BITS } from "./hash.js";
import { decodeSmtRecord, type PageSlot, type SmtRecord } from "./node.js";
import type { SmtNodeStore } from "./types.js";

/** Reads and decodes the record under `hash`, which must not be the empty hash (empty subtrees are not stored). */
export function readRecord(store: SmtNodeStore, hash: Uint8Array): SmtRecord {
  const encoded = store.get(hash);
  if (encoded === undefined) {
    throw new SmtError(
      { code: SmtErrorCode.MISSING_NODE, hash: bytesToHex(hash) },
      `sparse Merkle node ${bytesToHex(hash)} is not in the store`,
    );
  }
  return decodeSmtRecord(encoded, hash);
}

/**
 * Reads the page a slot at `depth` points to. Below the root only pages are stored, and a page's leaves must
 * sit in the slot their key names, or lookups by slot would miss them.
 */
export function readPage(store: SmtNodeStore, hash: Uint8Array, depth: number): PageSlot[] {
  if (depth >= SMT_KEY_BITS) throw tooDeep(hash);
  return checkedPage(readRecord(store, hash), hash, depth);
}

/** The slots of `record`, read under `hash` where a page at `depth` belongs. */
export function checkedPage(record: SmtRecord, hash: Uint8Array, depth: number): PageSlot[] {
  if (record.kind !== "page") throw corrupt(hash, "a leaf record where a page belongs");
  record.slots.forEach((slot, i) => {
    if (slot?.kind === "leaf" && keyNibble(slot.key, depth) !== i) throw corrupt(hash, `leaf in slot ${i} of another`);
  });
  return record.slots;
}

/** Bits depth … depth + 3 of `key` (depth a multiple of 4): the slot the key takes in a page at `depth`. */
export function keyNibble(key: Uint8Array, depth: number): number {
  const byte = key[depth >>> 3] as number;
  return (depth & 4) === 0 ? byte >>> 4 : byte & 0x0f;
}

/** A path longer than the key is impossible in a sound store; this stops a walk through a corrupt one. */
export function tooDeep(hash: Uint8Array): SmtError {
  return corrupt(hash, "interior node at depth 256");
}

function corrupt(hash: Uint8Array, reason: string): SmtError {
  return new SmtError(
    { code: SmtErrorCode.CORRUPT_NODE, hash: bytesToHex(hash), reason },
    `sparse Merkle node ${bytesToHex(hash)}: ${reason}`,
  );
}
