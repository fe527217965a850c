import { bytesToHex } from "@hansa/core";

/** The key a block hash is tallied under: lowercase hex, and "" for a nil vote. */
export const NIL = "";

export function valueKey(blockHash: Uint8Array | null): string {
  return blockHash === null ? NIL : bytesToHex(blockHash);
}
