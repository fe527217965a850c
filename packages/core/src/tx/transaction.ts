import { bytes, decode, encode, type Infer, oneOf, struct, text, uint } from "../encoding/index.js";
import { sha256 } from "../hash.js";
import { getPublicKey, sign, verify } from "../keys/ed25519.js";
import { CHAIN_ID_PATTERN, MAX_PAYLOAD_BYTES, MAX_TRANSACTION_BYTES } from "../limits.js";

/** Payload kinds are named like `record.put`; the ledger defines them and the envelope never changes. */
export const TX_KIND_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const chainId = text({ max: 64, pattern: CHAIN_ID_PATTERN });

/** The envelope every transaction shares. `payload` is the kind's own canonical CBOR. */
export const TransactionCodec = struct("Transaction", {
  chainId,
  sender: bytes(32),
  nonce: uint(),
  kind: text({ max: 64, pattern: TX_KIND_PATTERN }),
  payload: bytes({ max: MAX_PAYLOAD_BYTES }),
  signature: bytes(64),
});

export type Transaction = Infer<typeof TransactionCodec>;
export type UnsignedTransaction = Omit<Transaction, "signature">;

/**
 * What a sender signs: the envelope without the signature, behind a domain tag. Votes and proposals carry
 * other tags, so a transaction signature can never stand for a vote, and the chain id pins it to one chain.
 */
const TransactionSigningCodec = struct("TransactionSigning", {
  domain: oneOf(["hansa/tx/v1"] as const),
  chainId,
  sender: bytes(32),
  nonce: uint(),
  kind: text({ max: 64, pattern: TX_KIND_PATTERN }),
  payload: bytes({ max: MAX_PAYLOAD_BYTES }),
});

export function transactionSigningBytes(tx: UnsignedTransaction): Uint8Array {
  return encode(TransactionSigningCodec, {
    domain: "hansa/tx/v1",
    chainId: tx.chainId,
    sender: tx.sender,
    nonce: tx.nonce,
    kind: tx.kind,
    payload: tx.payload,
  });
}

export function signTransaction(tx: Omit<UnsignedTransaction, "sender">, secretKey: Uint8Array): Transaction {
  const unsigned = { ...tx, sender: getPublicKey(secretKey) };
  return { ...unsigned, signature: sign(transactionSigningBytes(unsigned), secretKey) };
}

export function verifyTransactionSignature(tx: Transaction): boolean {
  return verify(tx.signature, transactionSigningBytes(tx), tx.sender);
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  return encode(TransactionCodec, tx);
}

export function decodeTransaction(data: Uint8Array): Transaction {
  return decode(TransactionCodec, data, MAX_TRANSACTION_BYTES);
}

/** A transaction's hash: SHA-256 of its canonical encoding, signature included. */
export function transactionHash(encoded: Uint8Array): Uint8Array {
  return sha256(encoded);
}
