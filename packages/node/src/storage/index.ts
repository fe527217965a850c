export type { StorageErrorType } from "./errors.js";
export { StorageError } from "./errors.js";
export { Table } from "./keys.js";
export type { StoreOptions, SyncRangeOptions } from "./store.js";
export { openStore, Store } from "./store.js";
export type {
  BlockCommit,
  ChainHead,
  ChainInfo,
  EvidenceEntry,
  GenesisCommit,
  StateReader,
  StateWrite,
  SyncEntry,
  TxLocation,
  WalEntry,
  WalReplay,
} from "./types.js";
export { frameWalRecord, unframeWalRecord } from "./wal-frame.js";
