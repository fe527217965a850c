import type { ValidatorSet } from "@hansa/core";

/**
 * Read access to committed ledger state; the ledger owns the meaning of keys and values. Synchronous (see
 * `Store.get`): block execution reads thousands of keys, and a promise per read cost more than the read.
 */
export interface StateReader {
  /** `id`, when given, is `bytesToKey(key)`, already made by a caller that keys its own maps the same way. */
  get(key: Uint8Array, id?: string): Uint8Array | undefined;
}

/** One ledger state change; `value: null` deletes the key. */
export interface StateWrite {
  key: Uint8Array;
  value: Uint8Array | null;
}

/** Where a committed transaction sits. */
export interface TxLocation {
  height: number;
  index: number;
}

/** The committed tip. Height 0 is genesis, whose hash is the genesis hash. */
export interface ChainHead {
  height: number;
  hash: Uint8Array;
}

export interface ChainInfo {
  chainId: string;
  genesisHash: Uint8Array;
}

/** Everything of one block, written by `commitBlock` in one atomic, synced batch. */
export interface BlockCommit {
  height: number;
  hash: Uint8Array;
  blockBytes: Uint8Array;
  /** The commit certificate this node saw for `height` (block height + 1 will carry one for it too). */
  commitBytes: Uint8Array;
  /** Transaction hashes in block order. */
  txHashes: readonly Uint8Array[];
  /** Encoded receipts, aligned with `txHashes`. */
  receipts: readonly Uint8Array[];
  stateWrites: readonly StateWrite[];
  /** Evidence the block carries: its id (see `evidenceId`) and encoding, in block order. */
  evidence?: readonly { id: Uint8Array; bytes: Uint8Array }[];
  /** A validator set the ledger scheduled by this block, and the first height it votes on (> `height`). */
  validatorSet?: { fromHeight: number; set: ValidatorSet };
}

/** What genesis writes: chain identity, the first validator set, and the initial ledger state. */
export interface GenesisCommit {
  chainId: string;
  genesisHash: Uint8Array;
  validatorSet: ValidatorSet;
  stateWrites?: readonly StateWrite[];
}

/** One committed height as block sync serves it. */
export interface SyncEntry {
  height: number;
  blockBytes: Uint8Array;
  commitBytes: Uint8Array;
}

export interface WalEntry {
  height: number;
  /** Position in the whole log; increases with every append. */
  seq: number;
  data: Uint8Array;
}

/**
 * The result of replaying the write-ahead log. Replay stops at the first record whose frame fails its
 * checksum: that record and everything after it are untrusted and not returned.
 */
export interface WalReplay {
  records: WalEntry[];
  corrupt?: { height: number; seq: number; reason: string };
}

/** One piece of committed evidence, as the store lists it. */
export interface EvidenceEntry {
  /** Height of the block that carries it. */
  height: number;
  /** Position in that block's evidence list. */
  index: number;
  bytes: Uint8Array;
}
