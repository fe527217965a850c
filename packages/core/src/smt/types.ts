/**
 * Where the tree reads its records: a map from a subtree's hash to its record, a page of four binary levels
 * or the leaf of a tree of one key (see node.ts; `smtRecordHash` gives the key of a record). The node backs
 * it with LevelDB, tests with a Map. The tree only reads; writes are the caller's, so that new records land
 * in the same atomic batch as the block that produced them.
 *
 * Reads are synchronous: a block's update reads thousands of nodes, and a promise per read (with one per
 * subtree to join them) allocated more than the reads and hashing together. The node answers from memory or
 * LevelDB's synchronous read.
 */
export interface SmtNodeStore {
  get(hash: Uint8Array): Uint8Array | undefined;
}

/** One change to the tree: set `key` to `valueHash`, or delete `key` when `valueHash` is null. */
export interface SmtChange {
  /** 32 bytes: SHA-256 of the ledger's state key. */
  key: Uint8Array;
  /** 32 bytes: SHA-256 of the stored value; null deletes the key (a no-op when it is absent). */
  valueHash: Uint8Array | null;
}

/** A record to persist: its subtree's hash (the store key) and its encoding (the store value). */
export type SmtNodeEntry = [hash: Uint8Array, encodedNode: Uint8Array];

export interface SmtUpdate {
  /** The root after the changes. */
  root: Uint8Array;
  /** Every record the new root needs that the store may not hold yet, children before parents. */
  nodes: SmtNodeEntry[];
}

/** A key with its value hash, as held by a leaf. */
export interface SmtLeaf {
  key: Uint8Array;
  valueHash: Uint8Array;
}

/**
 * The path from the root towards one key. The walk ends either at a leaf (the key's own, proving membership,
 * or another key's, proving that the subtree where the key would sit holds only that other key) or at an
 * empty subtree (`leaf` null), both of which prove non-membership for any other key.
 */
export interface SmtProof {
  /** The leaf where the walk ended, or null when it ended at an empty subtree. */
  leaf: SmtLeaf | null;
  /** Hashes of the siblings along the path, nearest (deepest) first; one per level walked, at most 256. */
  siblings: Uint8Array[];
}
