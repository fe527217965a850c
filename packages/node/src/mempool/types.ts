import type { Transaction } from "@hansa/core";
import type { TxLocation } from "../storage/index.js";

/** Where a transaction came from: a client over RPC, or a peer's gossip. */
export const TxSource = { rpc: "rpc", gossip: "gossip" } as const;
export type TxSource = (typeof TxSource)[keyof typeof TxSource];

/** Why an accepted transaction left the pool without being committed. */
export const EvictionReason = {
  /** Another transaction of the same sender with the same nonce was committed. */
  NONCE_USED: "NONCE_USED",
  /** After a block, the ledger check (`recheck: "full"`) refused it against the new state. */
  RECHECK_FAILED: "RECHECK_FAILED",
  /** It stayed pending for `ttlBlocks` blocks without being committed (typically stuck behind a nonce gap). */
  EXPIRED: "EXPIRED",
} as const;
export type EvictionReason = (typeof EvictionReason)[keyof typeof EvictionReason];

export type TxStatus =
  | { status: "pending" }
  | { status: "committed"; height: number; index: number }
  | { status: "evicted"; reason: EvictionReason; message: string; height: number }
  | { status: "unknown" };

/**
 * What the mempool asks of the ledger. `nextNonce` is the nonce the sender's next transaction must carry
 * per committed state. `check` validates a transaction against committed state and throws the ledger's own
 * typed errors, which reach the submitter unchanged: always what a block checks before executing a
 * transaction (envelope, sender's account, nonce), and with `dryRun` also its payload, executed on a scratch
 * copy of the state (permissions, state errors). `expectedNonce` is the nonce the sender's next executable
 * transaction carries once its pending ones before this one run; the mempool has already ordered nonces, and
 * `tx.nonce` may be ahead of `expectedNonce` within the nonce window, so the check must not refuse
 * `tx.nonce > expectedNonce`.
 */
export interface MempoolLedger {
  nextNonce(sender: Uint8Array): Promise<number>;
  check(tx: Transaction, expectedNonce: number, options: { dryRun: boolean }): Promise<void>;
}

/** The store's committed-transaction index (`Store` satisfies it). */
export interface CommittedTxIndex {
  getTxLocation(txHash: Uint8Array): Promise<TxLocation | undefined>;
}

export interface MempoolLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Optional metrics; any registry whose counters and gauges have these methods fits. */
export interface MempoolMetrics {
  txsAdmittedTotal?: { inc(labels: { source: TxSource }): void };
  txsRejectedTotal?: { inc(labels: { code: string }): void };
  txsEvictedTotal?: { inc(labels: { reason: EvictionReason }): void };
  pendingTxs?: { set(value: number): void };
  pendingBytes?: { set(value: number): void };
}

export interface MempoolOptions {
  chainId: string;
  /** Most pending transactions. Default 10,000. */
  maxTxs?: number;
  /** Most pending bytes (encoded transactions). Default 64 MiB. */
  maxBytes?: number;
  /** Largest transaction admitted. Default and ceiling: core's MAX_TRANSACTION_BYTES. */
  maxTxBytes?: number;
  /** How far past the sender's committed nonce a pending nonce may be. Default 1,024, so one ingest key can keep a steady stream of transactions in flight. */
  nonceWindow?: number;
  /** Blocks a transaction may stay pending before it is evicted as EXPIRED. Default 600. */
  ttlBlocks?: number;
  /** After each block: "nonce" re-validates nonces only (cheap); "full" also re-runs the ledger check. */
  recheck?: "nonce" | "full";
  /** How many evicted transactions `status` remembers: at most this many, at least the latest half. Default 10,000. */
  evictedRecordSize?: number;
  /** How many verified transaction hashes `isVerified` remembers (at most; at least the latest half). Default 2 × maxTxs. */
  verifiedCacheSize?: number;
  /** A gossip batch goes out at this many transactions... Default 500. */
  gossipBatchTxs?: number;
  /** ...or this many bytes... Default 1 MiB. */
  gossipBatchBytes?: number;
  /** ...or this long after its first transaction. Default 20 ms. */
  gossipIntervalMs?: number;
  /** Re-broadcast transactions that arrived by gossip. Default false (see docs/storage.md). */
  regossip?: boolean;
  /**
   * Dry-run the payload of transactions that arrived by gossip too. Default false: the node they were
   * submitted to dry-ran them before gossiping, a peer cannot forge a signed transaction, and one that fails
   * in its block anyway costs only a failed receipt and its sender's nonce. Every other check still runs.
   */
  dryRunGossip?: boolean;
}

export interface MempoolModules {
  store: CommittedTxIndex;
  ledger: MempoolLedger;
  logger?: MempoolLogger;
  metrics?: MempoolMetrics;
}

export interface AdmitResult {
  hash: Uint8Array;
}

export interface ReapLimits {
  maxTxs: number;
  maxBytes: number;
}

export interface ReapedTx {
  hash: Uint8Array;
  bytes: Uint8Array;
  tx: Transaction;
}

/** A committed block as the mempool needs it. */
export interface CommittedBlockTxs {
  height: number;
  /** Hashes of the block's transactions, in block order. */
  txHashes: readonly Uint8Array[];
  /** Senders of the block's transactions (repeats allowed). Their pending nonces are re-validated. */
  senders: Iterable<Uint8Array>;
}

/** Receives admitted transactions in batches, one gossip message per batch. */
export type GossipHandler = (batch: readonly Uint8Array[]) => void;
