/**
 * Converters from @hansa/core values to the JSON shapes of types.ts, for NodeApi implementations. Every
 * byte string becomes 0x-hex; nothing else changes.
 */
import {
  addressFromPublicKey,
  type Block,
  type BlockHeader,
  blockHash,
  bytesTo0x,
  type CommitCertificate,
  decodeTransaction,
  type Evidence,
  encodeEvidence,
  evidenceId,
  evidenceSubject,
  inclusionProof,
  type Receipt,
  type Transaction,
  transactionHash,
  type ValidatorSet,
} from "@hansa/core";
import type {
  BlockHeaderJson,
  BlockJson,
  CommitJson,
  EvidenceJson,
  MerkleProofJson,
  NewBlockJson,
  ReceiptJson,
  TransactionJson,
  ValidatorsJson,
} from "./types.js";

/** `encoded` is the transaction as signed; its hash is the hash of these bytes. */
export function transactionToJson(tx: Transaction, encoded: Uint8Array): TransactionJson {
  return {
    hash: bytesTo0x(transactionHash(encoded)),
    chainId: tx.chainId,
    sender: bytesTo0x(tx.sender),
    senderAddress: addressFromPublicKey(tx.sender),
    nonce: tx.nonce,
    kind: tx.kind,
    payload: bytesTo0x(tx.payload),
    signature: bytesTo0x(tx.signature),
  };
}

export function encodedTransactionToJson(encoded: Uint8Array): TransactionJson {
  return transactionToJson(decodeTransaction(encoded), encoded);
}

export function receiptToJson(receipt: Receipt): ReceiptJson {
  return {
    txHash: bytesTo0x(receipt.txHash),
    ok: receipt.ok,
    code: receipt.code,
    message: receipt.message,
    result: bytesTo0x(receipt.result),
  };
}

export function blockHeaderToJson(header: BlockHeader): BlockHeaderJson {
  return {
    chainId: header.chainId,
    height: header.height,
    time: header.time,
    prevBlockHash: bytesTo0x(header.prevBlockHash),
    txRoot: bytesTo0x(header.txRoot),
    stateRoot: bytesTo0x(header.stateRoot),
    receiptsRoot: bytesTo0x(header.receiptsRoot),
    evidenceRoot: bytesTo0x(header.evidenceRoot),
    validatorSetHash: bytesTo0x(header.validatorSetHash),
    proposer: bytesTo0x(header.proposer),
    lastCommitHash: header.lastCommitHash === null ? null : bytesTo0x(header.lastCommitHash),
  };
}

export function evidenceToJson(evidence: Evidence): EvidenceJson {
  const subject = evidenceSubject(evidence);
  return {
    id: bytesTo0x(evidenceId(evidence)),
    kind: evidence.kind,
    validator: bytesTo0x(subject.validator),
    height: subject.height,
    round: subject.round,
    step: subject.step,
    encoded: bytesTo0x(encodeEvidence(evidence)),
  };
}

export function commitToJson(commit: CommitCertificate): CommitJson {
  return {
    height: commit.height,
    round: commit.round,
    blockHash: bytesTo0x(commit.blockHash),
    signatures: commit.signatures.map((s) => ({ validatorIndex: s.validatorIndex, signature: bytesTo0x(s.signature) })),
  };
}

/** `commit` is the certificate that committed this block, when the node has it. */
export function blockToJson(block: Block, commit: CommitCertificate | null): BlockJson {
  return {
    hash: bytesTo0x(blockHash(block.header)),
    header: blockHeaderToJson(block.header),
    txs: block.txs.map(encodedTransactionToJson),
    evidence: block.evidence.map(evidenceToJson),
    lastCommit: block.lastCommit === null ? null : commitToJson(block.lastCommit),
    commit: commit === null ? null : commitToJson(commit),
  };
}

export function newBlockToJson(block: Block): NewBlockJson {
  return {
    hash: bytesTo0x(blockHash(block.header)),
    header: blockHeaderToJson(block.header),
    txHashes: block.txs.map((tx) => bytesTo0x(transactionHash(tx))),
  };
}

/**
 * The inclusion proof of a block's transaction `index` against the header's `txRoot`: the leaves of that
 * tree are the transaction hashes, in block order.
 */
export function txInclusionProofJson(block: Block, index: number): MerkleProofJson {
  const hashes = block.txs.map((tx) => transactionHash(tx));
  return {
    root: bytesTo0x(block.header.txRoot),
    leaf: bytesTo0x(hashes[index] ?? new Uint8Array()),
    index,
    treeSize: hashes.length,
    path: inclusionProof(hashes, index).map(bytesTo0x),
  };
}

export function validatorsToJson(height: number, set: ValidatorSet): ValidatorsJson {
  return {
    height,
    hash: bytesTo0x(set.hash),
    totalPower: set.totalPower,
    validators: set.validators.map((v) => ({
      name: v.name,
      publicKey: bytesTo0x(v.publicKey),
      address: addressFromPublicKey(v.publicKey),
      power: v.power,
    })),
  };
}
