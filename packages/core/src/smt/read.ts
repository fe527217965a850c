import { bytesToHex } from "../bytes.js";
import { SmtError, SmtErrorCode } from "./errors.js";
import { decodeSmtNode, type SmtNode } from "./node.js";
import type { SmtNodeStore } from "./types.js";

/** Reads and decodes the node under `hash`, which must not be the empty hash (empty subtrees are not stored). */
export function readNode(store: SmtNodeStore, hash: Uint8Array): SmtNode {
  const encoded = store.get(hash);
  if (encoded === undefined) {
    throw new SmtError(
      { code: SmtErrorCode.MISSING_NODE, hash: bytesToHex(hash) },
      `sparse Merkle node ${bytesToHex(hash)} is not in the store`,
    );
  }
  return decodeSmtNode(encoded, hash);
}

/** A path longer than the key is impossible in a sound store; this stops a walk through a corrupt one. */
export function tooDeep(hash: Uint8Array): SmtError {
  return new SmtError(
    { code: SmtErrorCode.CORRUPT_NODE, hash: bytesToHex(hash), reason: "interior node at depth 256" },
    `sparse Merkle node ${bytesToHex(hash)}: interior node at depth 256`,
  );
}
