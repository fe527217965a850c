import type {
  AccountJson,
  BlockJson,
  ChainStatusJson,
  EvidenceListJson,
  MempoolStatusJson,
  NewBlockJson,
  PeerJson,
  StateHistoryJson,
  StateValueJson,
  TxCommittedJson,
  TxStatusJson,
  TxSubmitResult,
  ValidatorsJson,
} from "./types.js";

/** Stops a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

/** An account named by its address, or by its public key (the address is then derived from it). */
export interface AccountRef {
  address: string;
  publicKey?: Uint8Array;
}

/**
 * What the RPC server needs from a node, one method per RPC method. Parameters arrive decoded and validated
 * (bytes as Uint8Array); results are plain JSON-able data in the shapes of types.ts. Failures are
 * HansaErrors whose codes error-codes.ts maps (NOT_FOUND, TIMEOUT, MEMPOOL_FULL, LEDGER_NONCE_STALE, ...);
 * anything else becomes an internal error.
 */
export interface NodeApi {
  /** Resolves once the mempool admitted the transaction (encoded bytes as the sender signed them). */
  txSubmit(tx: Uint8Array): Promise<TxSubmitResult>;
  /** Submits, then waits for the commit; throws TIMEOUT (with the hash) or TX_EVICTED. */
  txSubmitAndWait(tx: Uint8Array, timeoutMs: number): Promise<TxCommittedJson>;
  /** Committed, pending or evicted; NOT_FOUND when the node never saw it (or forgot an eviction). */
  txGet(hash: Uint8Array): Promise<TxStatusJson>;
  blockGet(height: number | "latest"): Promise<BlockJson>;
  blockGetByHash(hash: Uint8Array): Promise<BlockJson>;
  chainStatus(): Promise<ChainStatusJson>;
  /** The set that votes at `height`; the next height's set when `height` is undefined. */
  chainValidators(height: number | undefined): Promise<ValidatorsJson>;
  accountGet(account: AccountRef): Promise<AccountJson>;
  stateGet(namespace: string, key: string): Promise<StateValueJson>;
  stateHistory(namespace: string, key: string, options: { limit: number; cursor?: string }): Promise<StateHistoryJson>;
  mempoolStatus(): Promise<MempoolStatusJson>;
  netPeers(): Promise<PeerJson[]>;
  /** Evidence committed on chain from position `from` on, in chain order, at most `limit` pieces. */
  evidenceList(from: { height: number; index: number }, limit: number): Promise<EvidenceListJson>;
  /**
   * Delivers every committed block from `fromHeight` (the next block when undefined): first the stored ones,
   * in order, then each new one as it commits, with no gap or repeat between the two. `onBlock` may return a
   * promise; awaiting it before the next replayed block paces the replay to the subscriber's connection.
   * Throws (e.g. NOT_FOUND for a height beyond the chain's pruning) instead of delivering a gap. Return
   * promptly and replay afterwards: updates made before the server has sent the subscription id are held in
   * memory until then.
   */
  subscribeBlocks(
    fromHeight: number | undefined,
    onBlock: (block: NewBlockJson) => void | Promise<void>,
  ): Unsubscribe | Promise<Unsubscribe>;
  /**
   * Delivers the transaction's status now and on every change. The server ends the subscription itself after
   * a final status (committed or evicted).
   */
  subscribeTx(hash: Uint8Array, onUpdate: (status: TxStatusJson) => void): Unsubscribe | Promise<Unsubscribe>;
}
