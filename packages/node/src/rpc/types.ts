/**
 * The JSON shapes of every RPC result, defined once as zod schemas: the server derives the OpenRPC result
 * schemas from them and the client takes its TypeScript types from them, so the two cannot drift apart.
 * Bytes are 0x-prefixed lowercase hex; heights, nonces and times (milliseconds since the Unix epoch) are
 * JSON numbers, exact up to 2^53.
 */
import { z } from "zod";

export const HEX_PATTERN = /^0x(?:[0-9a-fA-F]{2})*$/;
export const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/;

export const HexJson = z.string().regex(HEX_PATTERN).describe("bytes as 0x-prefixed hex");
export const HashJson = z.string().regex(HASH_PATTERN).describe("32 bytes as 0x-prefixed hex");
export const UintJson = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export type Hex = z.infer<typeof HexJson>;

export const TransactionJson = z.object({
  hash: HashJson,
  chainId: z.string(),
  /** The sender's Ed25519 public key. */
  sender: HashJson,
  /** The bech32m address derived from `sender`. */
  senderAddress: z.string(),
  nonce: UintJson,
  kind: z.string(),
  /** The kind's canonical CBOR payload. */
  payload: HexJson,
  signature: HexJson,
});
export type TransactionJson = z.infer<typeof TransactionJson>;

export const ReceiptJson = z.object({
  txHash: HashJson,
  ok: z.boolean(),
  /** Empty when ok, else a stable error code such as `LEDGER_PERMISSION_DENIED`. */
  code: z.string(),
  message: z.string(),
  /** Kind-specific output (canonical CBOR), `0x` when there is none. */
  result: HexJson,
});
export type ReceiptJson = z.infer<typeof ReceiptJson>;

/** An RFC 6962 audit path: `verifyInclusion(leaf, index, treeSize, path, root)` from @hansa/core checks it. */
export const MerkleProofJson = z.object({
  root: HashJson,
  leaf: HexJson,
  index: UintJson,
  treeSize: UintJson,
  path: z.array(HashJson),
});
export type MerkleProofJson = z.infer<typeof MerkleProofJson>;

export const TxSubmitResult = z.object({ hash: HashJson });
export type TxSubmitResult = z.infer<typeof TxSubmitResult>;

export const TxCommittedJson = z.object({
  status: z.literal("committed"),
  hash: HashJson,
  height: UintJson,
  /** Position of the transaction in its block. */
  index: UintJson,
  blockHash: HashJson,
  tx: TransactionJson,
  receipt: ReceiptJson,
  /** Inclusion of `hash` in the block header's `txRoot`. */
  proof: MerkleProofJson,
});
export type TxCommittedJson = z.infer<typeof TxCommittedJson>;

export const TxPendingJson = z.object({ status: z.literal("pending"), hash: HashJson, tx: TransactionJson });
export type TxPendingJson = z.infer<typeof TxPendingJson>;

export const TxEvictedJson = z.object({
  status: z.literal("evicted"),
  hash: HashJson,
  /** Why the mempool dropped it, e.g. its nonce was used by another transaction. */
  reason: z.string(),
});
export type TxEvictedJson = z.infer<typeof TxEvictedJson>;

export const TxStatusJson = z.discriminatedUnion("status", [TxCommittedJson, TxPendingJson, TxEvictedJson]);
export type TxStatusJson = z.infer<typeof TxStatusJson>;

export const BlockHeaderJson = z.object({
  chainId: z.string(),
  height: UintJson,
  time: UintJson,
  prevBlockHash: HashJson,
  txRoot: HashJson,
  stateRoot: HashJson,
  receiptsRoot: HashJson,
  evidenceRoot: HashJson,
  validatorSetHash: HashJson,
  proposer: HashJson,
  lastCommitHash: HashJson.nullable(),
});
export type BlockHeaderJson = z.infer<typeof BlockHeaderJson>;

export const CommitJson = z.object({
  height: UintJson,
  round: UintJson,
  blockHash: HashJson,
  signatures: z.array(z.object({ validatorIndex: UintJson, signature: HexJson })),
});
export type CommitJson = z.infer<typeof CommitJson>;

/** One piece of evidence: who equivocated where, and the two signed messages that prove it. */
export const EvidenceJson = z.object({
  /** Same for every proof of the same misbehaviour (validator, height, round, step). */
  id: HashJson,
  kind: z.enum(["duplicate_vote", "duplicate_proposal"]),
  /** The equivocating validator's public key. */
  validator: HashJson,
  height: UintJson,
  round: UintJson,
  step: z.enum(["prevote", "precommit", "proposal"]),
  /** The canonical CBOR encoding (`decodeEvidence` in @hansa/core): both signed messages, checkable offline. */
  encoded: HexJson,
});
export type EvidenceJson = z.infer<typeof EvidenceJson>;

/** Evidence committed on chain, with the block that records it. */
export const CommittedEvidenceJson = EvidenceJson.extend({ includedHeight: UintJson, index: UintJson });
export type CommittedEvidenceJson = z.infer<typeof CommittedEvidenceJson>;

export const EvidenceListJson = z.object({
  evidence: z.array(CommittedEvidenceJson),
  /** Where the next page starts (pass both as params); null when this page holds the rest. */
  next: z.object({ fromHeight: UintJson, fromIndex: UintJson }).nullable(),
});
export type EvidenceListJson = z.infer<typeof EvidenceListJson>;

export const BlockJson = z.object({
  hash: HashJson,
  header: BlockHeaderJson,
  txs: z.array(TransactionJson),
  evidence: z.array(EvidenceJson),
  /** The certificate of the previous block, carried in this one; null at height 1. */
  lastCommit: CommitJson.nullable(),
  /** The certificate that committed this block, when the node has it. */
  commit: CommitJson.nullable(),
});
export type BlockJson = z.infer<typeof BlockJson>;

/** What a `newBlocks` subscription delivers: the header and transaction hashes, not the transactions. */
export const NewBlockJson = z.object({ hash: HashJson, header: BlockHeaderJson, txHashes: z.array(HashJson) });
export type NewBlockJson = z.infer<typeof NewBlockJson>;

export const ChainStatusJson = z.object({
  chainId: z.string(),
  height: UintJson,
  /** Null before the first block. */
  latestBlockHash: HashJson.nullable(),
  latestBlockTime: UintJson.nullable(),
  syncing: z.boolean(),
  /** The node's peer id on the network. */
  nodeId: z.string(),
  isValidator: z.boolean(),
  peers: UintJson,
});
export type ChainStatusJson = z.infer<typeof ChainStatusJson>;

export const ValidatorJson = z.object({ name: z.string(), publicKey: HashJson, address: z.string(), power: UintJson });
export type ValidatorJson = z.infer<typeof ValidatorJson>;

export const ValidatorsJson = z.object({
  height: UintJson,
  /** The set's hash, as block headers carry it in `validatorSetHash`. */
  hash: HashJson,
  totalPower: UintJson,
  validators: z.array(ValidatorJson),
});
export type ValidatorsJson = z.infer<typeof ValidatorsJson>;

export const AccountJson = z.object({
  address: z.string(),
  /** Null when only the address is known (an account that never sent a transaction). */
  publicKey: HashJson.nullable(),
  /** The nonce the next transaction must carry, counting committed transactions only. */
  nonce: UintJson,
  /** The nonce the next transaction must carry, counting this node's pending transactions too. */
  pendingNonce: UintJson,
  organization: z.string().nullable(),
  roles: z.array(z.string()),
});
export type AccountJson = z.infer<typeof AccountJson>;

export const StateValueJson = z.object({
  namespace: z.string(),
  key: z.string(),
  /** Null when the key has no value (never written, or deleted); the proof then proves absence. */
  value: HexJson.nullable(),
  /** The height whose state root the proof is against. */
  height: UintJson,
  stateRoot: HashJson,
  /** The sparse Merkle proof, canonical CBOR as 0x-hex (core's `decodeSmtProof`). */
  proof: HexJson,
  /**
   * The encoded record entry (value, version count, last writer, height) whose SHA-256 is the proven leaf
   * value; null when the key was never written. Present so a client can check `proof` itself.
   */
  entry: HexJson.nullable().optional(),
});
export type StateValueJson = z.infer<typeof StateValueJson>;

export const StateVersionJson = z.object({
  height: UintJson,
  txHash: HashJson,
  /** The writer's public key. */
  writer: HashJson,
  /** Null for a delete. */
  value: HexJson.nullable(),
});
export type StateVersionJson = z.infer<typeof StateVersionJson>;

export const StateHistoryJson = z.object({
  namespace: z.string(),
  key: z.string(),
  /** Most recent first. */
  versions: z.array(StateVersionJson),
  /** Pass as `cursor` to read older versions; null when there are none. */
  nextCursor: z.string().nullable(),
});
export type StateHistoryJson = z.infer<typeof StateHistoryJson>;

export const MempoolStatusJson = z.object({
  size: UintJson,
  bytes: UintJson,
  maxSize: UintJson,
  maxBytes: UintJson,
});
export type MempoolStatusJson = z.infer<typeof MempoolStatusJson>;

export const PeerJson = z.object({
  id: z.string(),
  addresses: z.array(z.string()),
  /** The validator's name when the peer is a known validator. */
  validator: z.string().nullable(),
});
export type PeerJson = z.infer<typeof PeerJson>;

export const SUBSCRIPTION_TOPICS = ["newBlocks", "tx"] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

export const SubscriptionIdJson = z.string().describe("subscription id, for `unsubscribe`");

/** The `params` of a `subscription` notification sent over WebSocket. */
export interface SubscriptionNotificationParams<T = NewBlockJson | TxStatusJson> {
  subscription: string;
  result: T;
}

export const HealthJson = z.object({
  status: z.enum(["ok", "unavailable"]),
  height: UintJson.optional(),
  syncing: z.boolean().optional(),
  peers: UintJson.optional(),
});
export type HealthJson = z.infer<typeof HealthJson>;

/** `data` of every error response: the Hansa error code string and that error's metadata. */
export interface RpcErrorData {
  code: string;
  [field: string]: unknown;
}

export interface JsonRpcError {
  code: number;
  message: string;
  data: RpcErrorData;
}

export type JsonRpcId = string | number | null;

export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: JsonRpcId; result: unknown }
  | { jsonrpc: "2.0"; id: JsonRpcId; error: JsonRpcError };

export interface StateHistoryOptions {
  /** Most versions to return; the server caps it. */
  limit?: number;
  cursor?: string;
}

/**
 * Every method as the client calls it: positional params and result. The server accepts the same params by
 * name too (see docs/rpc.md).
 */
export interface RpcMethodMap {
  tx_submit: { params: [tx: Hex]; result: TxSubmitResult };
  tx_submitAndWait: { params: [tx: Hex, timeoutMs?: number]; result: TxCommittedJson };
  tx_get: { params: [hash: Hex]; result: TxStatusJson };
  block_get: { params: [height: number | "latest"]; result: BlockJson };
  block_getByHash: { params: [hash: Hex]; result: BlockJson };
  chain_status: { params: []; result: ChainStatusJson };
  chain_validators: { params: [height?: number]; result: ValidatorsJson };
  account_get: { params: [account: string]; result: AccountJson };
  state_get: { params: [namespace: string, key: string]; result: StateValueJson };
  state_history: { params: [namespace: string, key: string, options?: StateHistoryOptions]; result: StateHistoryJson };
  mempool_status: { params: []; result: MempoolStatusJson };
  net_peers: { params: []; result: PeerJson[] };
  evidence_list: { params: [fromHeight?: number, fromIndex?: number, limit?: number]; result: EvidenceListJson };
  "rpc.discover": { params: []; result: Record<string, unknown> };
  subscribe: {
    params: [topic: "newBlocks", options?: { fromHeight?: number }] | [topic: "tx", options: { hash: Hex }];
    result: string;
  };
  unsubscribe: { params: [id: string]; result: boolean };
}

export type RpcMethodName = keyof RpcMethodMap;
