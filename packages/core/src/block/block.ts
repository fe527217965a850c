import { CommitCertificateCodec } from "../consensus/commit.js";
import { type Evidence, EvidenceCodec, encodeEvidence } from "../consensus/evidence.js";
import { bytes, decode, encode, type Infer, list, nullable, struct, text, uint } from "../encoding/index.js";
import { sha256 } from "../hash.js";
import {
  CHAIN_ID_PATTERN,
  MAX_BLOCK_BYTES,
  MAX_BLOCK_EVIDENCE,
  MAX_BLOCK_TXS,
  MAX_TRANSACTION_BYTES,
} from "../limits.js";
import { merkleRoot } from "../merkle/index.js";

/**
 * A block header. Its hash is the block's hash. Roots are RFC 6962 Merkle roots (see merkle/); the state and
 * receipts roots are the results of executing this block's transactions, so a header proves outcomes.
 */
export const BlockHeaderCodec = struct("BlockHeader", {
  chainId: text({ max: 64, pattern: CHAIN_ID_PATTERN }),
  height: uint(),
  /** Milliseconds since the Unix epoch, chosen by the proposer; later than the previous block's time. */
  time: uint(),
  /** Hash of block height - 1; for height 1, the genesis hash, which pins the chain to its genesis. */
  prevBlockHash: bytes(32),
  /** Merkle root over the transaction hashes, in block order. */
  txRoot: bytes(32),
  /** Root of the ledger state after this block. */
  stateRoot: bytes(32),
  /** Merkle root over the encoded receipts, in block order. */
  receiptsRoot: bytes(32),
  /** Merkle root over the hashes of the encoded evidence this block carries, in block order. */
  evidenceRoot: bytes(32),
  /** Hash of the validator set that votes on this block. */
  validatorSetHash: bytes(32),
  /** Public key of the validator that proposed this block. */
  proposer: bytes(32),
  /** Hash of the previous block's commit certificate carried in this block; null at height 1. */
  lastCommitHash: nullable(bytes(32)),
});

export type BlockHeader = Infer<typeof BlockHeaderCodec>;

export const BlockCodec = struct("Block", {
  header: BlockHeaderCodec,
  /** Encoded transactions, as their senders signed them. */
  txs: list(bytes({ max: MAX_TRANSACTION_BYTES }), { max: MAX_BLOCK_TXS }),
  /** Proof of validators' equivocation, recorded on chain; checked by every validator like a transaction. */
  evidence: list(EvidenceCodec, { max: MAX_BLOCK_EVIDENCE }),
  /** The commit certificate of block height - 1; null at height 1. */
  lastCommit: nullable(CommitCertificateCodec),
});

export type Block = Infer<typeof BlockCodec>;

export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  return encode(BlockHeaderCodec, header);
}

export function decodeBlockHeader(data: Uint8Array): BlockHeader {
  return decode(BlockHeaderCodec, data, 1024);
}

export function blockHash(header: BlockHeader): Uint8Array {
  return sha256(encodeBlockHeader(header));
}

export function encodeBlock(block: Block): Uint8Array {
  return encode(BlockCodec, block);
}

export function decodeBlock(data: Uint8Array, maxBytes = MAX_BLOCK_BYTES): Block {
  return decode(BlockCodec, data, maxBytes);
}

/** The header's evidenceRoot for `evidence`: the Merkle root of each item's SHA-256. */
export function evidenceRoot(evidence: readonly Evidence[]): Uint8Array {
  return merkleRoot(evidence.map((e) => sha256(encodeEvidence(e))));
}
