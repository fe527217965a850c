import { bool, bytes, decode, encode, type Infer, struct, text } from "../encoding/index.js";

/**
 * The result of one transaction. A block header commits to the Merkle root of its receipts, so a client can
 * prove what a transaction did, not only that it was included. A failed transaction still has a receipt
 * (and still consumes its nonce).
 */
export const ReceiptCodec = struct("Receipt", {
  txHash: bytes(32),
  ok: bool(),
  /** Empty when ok; otherwise a stable error code such as `LEDGER_PERMISSION_DENIED`. */
  code: text({ max: 64 }),
  message: text({ max: 512 }),
  /** Kind-specific output (canonical CBOR), empty when there is none. */
  result: bytes({ max: 4096 }),
});

export type Receipt = Infer<typeof ReceiptCodec>;

export function encodeReceipt(receipt: Receipt): Uint8Array {
  return encode(ReceiptCodec, receipt);
}

export function decodeReceipt(data: Uint8Array): Receipt {
  return decode(ReceiptCodec, data, 8192);
}
