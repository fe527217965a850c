import { HansaError } from "@hansa/core";

/** Why the mempool refused a transaction. Hashes are `0x` hex, so the metadata serialises to JSON as is. */
export type MempoolErrorType =
  | { code: "MEMPOOL_TX_TOO_LARGE"; size: number; max: number }
  | { code: "MEMPOOL_MALFORMED"; reason: string }
  | { code: "MEMPOOL_WRONG_CHAIN"; chainId: string; expected: string }
  | { code: "MEMPOOL_BAD_SIGNATURE"; hash: string }
  | { code: "MEMPOOL_DUPLICATE"; hash: string }
  | { code: "MEMPOOL_ALREADY_COMMITTED"; hash: string; height: number; index: number }
  | { code: "MEMPOOL_NONCE_TOO_LOW"; nonce: number; expected: number }
  | { code: "MEMPOOL_NONCE_TAKEN"; nonce: number; pendingHash: string }
  | { code: "MEMPOOL_NONCE_GAP"; nonce: number; expected: number; window: number }
  | { code: "MEMPOOL_FULL"; limit: "txs" | "bytes"; max: number }
  | { code: "MEMPOOL_BUSY" }
  | { code: "MEMPOOL_STOPPED" };

export type MempoolErrorCode = MempoolErrorType["code"];

/** Every code, for tables that map them elsewhere (JSON-RPC error codes, metrics labels). */
export const MEMPOOL_ERROR_CODES = [
  "MEMPOOL_TX_TOO_LARGE",
  "MEMPOOL_MALFORMED",
  "MEMPOOL_WRONG_CHAIN",
  "MEMPOOL_BAD_SIGNATURE",
  "MEMPOOL_DUPLICATE",
  "MEMPOOL_ALREADY_COMMITTED",
  "MEMPOOL_NONCE_TOO_LOW",
  "MEMPOOL_NONCE_TAKEN",
  "MEMPOOL_NONCE_GAP",
  "MEMPOOL_FULL",
  "MEMPOOL_BUSY",
  "MEMPOOL_STOPPED",
] as const satisfies readonly MempoolErrorCode[];

export class MempoolError extends HansaError<MempoolErrorType> {
  constructor(type: MempoolErrorType, message: string) {
    super(type, message);
    this.name = "MempoolError";
  }
}
