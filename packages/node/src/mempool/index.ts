export type { MempoolErrorCode, MempoolErrorType } from "./errors.js";
export { MEMPOOL_ERROR_CODES, MempoolError } from "./errors.js";
export { createMempool, Mempool } from "./mempool.js";
export type {
  AdmitResult,
  CommittedBlockTxs,
  CommittedTxIndex,
  GossipHandler,
  MempoolLedger,
  MempoolLogger,
  MempoolMetrics,
  MempoolModules,
  MempoolOptions,
  ReapedTx,
  ReapLimits,
  TxStatus,
} from "./types.js";
export { EvictionReason, TxSource } from "./types.js";
