// A deterministic test chain: real Ed25519 keys, real signed transactions, real commit certificates. Every
// block is a pure function of its height (and the previous hash), so a test can rebuild the block a killed
// writer was about to commit and check that none of it reached the disk.
import {
  type Block,
  blockHash,
  type CommitCertificate,
  commitFromPrecommits,
  encodeBlock,
  encodeCommit,
  encodeReceipt,
  encodeTransaction,
  evidenceRoot,
  getPublicKey,
  merkleRoot,
  sha256,
  signTransaction,
  signVote,
  transactionHash,
  utf8ToBytes,
  ValidatorSet,
  VoteType,
} from "@hansa/core";
import type { BlockCommit, ChainHead, GenesisCommit, StateWrite } from "../../src/storage/index.js";

export const CHAIN_ID = "test-chain";
/** Transactions per block in the crash test (enough that a batch spans many keys). */
export const TXS_PER_BLOCK = 16;

export const validatorKeys = [0, 1, 2, 3].map((i) => sha256(utf8ToBytes(`validator-${i}`)));
export const senderKey = sha256(utf8ToBytes("sender"));
export const validatorSet = new ValidatorSet(
  validatorKeys.map((sk, i) => ({ name: `v${i}`, publicKey: getPublicKey(sk), power: 1 })),
);
export const genesisHash = sha256(utf8ToBytes("test-genesis"));

export const genesis: GenesisCommit = {
  chainId: CHAIN_ID,
  genesisHash,
  validatorSet,
  stateWrites: [{ key: utf8ToBytes("height"), value: utf8ToBytes("0") }],
};

/** The encoded transactions of block `height`: `txsPerBlock` of them, nonces continuing across blocks. */
export function blockTxs(height: number, txsPerBlock: number): Uint8Array[] {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < txsPerBlock; i++) {
    const nonce = (height - 1) * txsPerBlock + i;
    const tx = signTransaction(
      { chainId: CHAIN_ID, nonce, kind: "record.put", payload: utf8ToBytes(`block ${height} tx ${i}`) },
      senderKey,
    );
    txs.push(encodeTransaction(tx));
  }
  return txs;
}

export function certify(height: number, hash: Uint8Array): CommitCertificate {
  const votes = validatorKeys.map((sk) =>
    signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round: 0, blockHash: hash }, sk),
  );
  return commitFromPrecommits(validatorSet, votes);
}

export interface BuiltBlock {
  block: Block;
  cert: CommitCertificate;
  txHashes: Uint8Array[];
  commit: BlockCommit;
}

/** Builds block `prev.height + 1` on `prev`, certified by all four validators. */
export function buildBlock(prev: ChainHead, prevCert: CommitCertificate | null, txsPerBlock = 4): BuiltBlock {
  const height = prev.height + 1;
  return buildBlockOf(prev, prevCert, blockTxs(height, txsPerBlock), (hash) => [
    { key: utf8ToBytes("height"), value: utf8ToBytes(String(height)) },
    { key: utf8ToBytes(`block/${height}`), value: hash },
  ]);
}

/** Builds block `prev.height + 1` holding `txs` (encoded), with the state writes `state(blockHash)` gives. */
export function buildBlockOf(
  prev: ChainHead,
  prevCert: CommitCertificate | null,
  txs: Uint8Array[],
  state: (hash: Uint8Array) => StateWrite[] = () => [],
): BuiltBlock {
  const height = prev.height + 1;
  const txHashes = txs.map(transactionHash);
  const receipts = txHashes.map((txHash) =>
    encodeReceipt({ txHash, ok: true, code: "", message: "", result: new Uint8Array() }),
  );
  const block: Block = {
    header: {
      chainId: CHAIN_ID,
      height,
      time: 1_700_000_000_000 + height * 1000,
      prevBlockHash: prev.hash,
      txRoot: merkleRoot(txHashes),
      stateRoot: sha256(utf8ToBytes(`state ${height}`)),
      receiptsRoot: merkleRoot(receipts),
      evidenceRoot: evidenceRoot([]),
      validatorSetHash: validatorSet.hash,
      proposer: validatorSet.at(height % 4)?.publicKey as Uint8Array,
      lastCommitHash: prevCert ? sha256(encodeCommit(prevCert)) : null,
    },
    txs,
    evidence: [],
    lastCommit: prevCert,
  };
  const hash = blockHash(block.header);
  const cert = certify(height, hash);
  return {
    block,
    cert,
    txHashes,
    commit: {
      height,
      hash,
      blockBytes: encodeBlock(block),
      commitBytes: encodeCommit(cert),
      txHashes,
      receipts,
      stateWrites: state(hash),
    },
  };
}
