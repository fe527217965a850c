import { type Transaction, TransactionCodec, verifyTransactionSignature } from "@hansa/core";
import { LedgerError, LedgerErrorCode, ledgerError } from "./errors.js";
import { type AnyPayload, decodePayload } from "./payloads.js";

/**
 * The stateless checks of an envelope that decide whether it can be in a block at all: well-formed, not
 * oversize, for this chain. The signature is separate (the node verifies it once and caches the result).
 */
export function checkEnvelopeFrame(tx: Transaction, chainId: string): void {
  if (tx.chainId !== chainId) {
    throw new LedgerError(
      { code: LedgerErrorCode.WRONG_CHAIN, expected: chainId, got: String(tx.chainId) },
      `transaction is for chain "${tx.chainId}", this is "${chainId}"`,
    );
  }
  try {
    // The codec bounds every field; the payload bound keeps any encodable envelope under
    // MAX_TRANSACTION_BYTES, so this is the whole size check. `toCbor` makes every check `encodeTransaction`
    // makes without producing the bytes (CBOR encoding of values that passed them cannot fail).
    TransactionCodec.toCbor(tx);
  } catch (err) {
    throw ledgerError(LedgerErrorCode.BAD_ENVELOPE, `malformed transaction: ${(err as Error).message}`);
  }
}

/**
 * Every check of a transaction that needs no state: chain id, size, kind and payload decoding (including
 * the record value limit). Returns the decoded payload. Does not verify the signature.
 */
export function checkEnvelope(tx: Transaction, chainId: string): AnyPayload {
  checkEnvelopeFrame(tx, chainId);
  return decodePayload(tx.kind, tx.payload);
}

export function checkSignature(tx: Transaction): void {
  if (!verifyTransactionSignature(tx)) {
    throw ledgerError(LedgerErrorCode.BAD_SIGNATURE, "transaction signature does not verify against its sender");
  }
}
