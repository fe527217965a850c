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

// Both structures are CBOR arrays of six: the envelope ends with its signature (a 64-byte string, 66 bytes
// encoded), and the signing structure starts with the domain tag. Between them the fields are the same.
const ARRAY_OF_SIX = 0x86;
const ENCODED_SIGNATURE_BYTES = 66;
const DOMAIN_TAG = encode(text({ max: 64 }), "hansa/tx/v1");

/**
 * `transactionSigningBytes` of a transaction decoded from `encoded`, cut from those bytes instead of encoded
 * again. `decodeTransaction` accepts only canonical bytes, so the fields in `encoded` are exactly those
 * `transactionSigningBytes` would write.
 */
export function transactionSigningBytesFromEncoded(encoded: Uint8Array): Uint8Array {
  return writeSigningBytes(encoded, new Uint8Array(signingLength(encoded)));
}

/**
 * Signing bytes are only read by the synchronous verification, so they are written into one reused buffer:
 * a verification then allocates nothing but its result.
 */
let signingScratch = new Uint8Array(1024);

/** `verifyTransactionSignature` for a transaction decoded from `encoded`, with its signing bytes cut from them. */
export function verifyEncodedTransactionSignature(tx: Transaction, encoded: Uint8Array): boolean {
  const length = signingLength(encoded);
  if (signingScratch.length < length) signingScratch = new Uint8Array(length);
  return verify(tx.signature, writeSigningBytes(encoded, signingScratch.subarray(0, length)), tx.sender);
}

function signingLength(encoded: Uint8Array): number {
  const fieldsEnd = encoded.length - ENCODED_SIGNATURE_BYTES;
  if (encoded[0] !== ARRAY_OF_SIX || encoded[fieldsEnd] !== 0x58 || encoded[fieldsEnd + 1] !== 64) {
    throw new TypeError("expected a canonically encoded transaction");
  }
  return 1 + DOMAIN_TAG.length + fieldsEnd - 1;
}

function writeSigningBytes(encoded: Uint8Array, out: Uint8Array): Uint8Array {
  out[0] = ARRAY_OF_SIX;
  out.set(DOMAIN_TAG, 1);
  out.set(encoded.subarray(1, encoded.length - ENCODED_SIGNATURE_BYTES), 1 + DOMAIN_TAG.length);
  return out;
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
