import { concatBytes, utf8ToBytes } from "@hansa/core";

/**
 * The ledger's state key layout. Every key starts with one ASCII tag byte naming its table; variable-length
 * parts are length-prefixed so no key is a prefix of another in a different table or entry, and numbers are
 * 8-byte big-endian so byte order is numeric order (history versions sort by sequence under their record).
 *
 *   a | publicKey(32)                          account: next nonce                        (committed)
 *   m | publicKey(32)                          membership: organization and roles         (committed)
 *   o | len(u8) | orgId                        organization                               (committed)
 *   n | len(u8) | namespace                    namespace: owner and grants                (committed)
 *   r | len(u8) | namespace | len(u16) | key   record: current value and version count   (committed)
 *   h | len(u8) | namespace | len(u16) | key | version(u64)   one version of a record    (history, not committed)
 *   v | fromHeight(u64)                        validator set in force from that height    (committed)
 *   V                                          list of the heights at which sets change   (committed)
 *   g | id(u64)                                governance proposal                        (committed)
 *   G                                          ids of pending proposals                   (committed)
 *   N                                          next proposal id                           (committed)
 *   x                                          meta: chain id, last height, time, state root (not committed)
 *   s | hash(32)                               node of the state tree                     (not committed)
 *
 * "Committed" keys are the leaves of the state root. History, meta and tree nodes are derived from them and
 * from the blocks, so committing to them would only add hashing (see docs/ledger.md).
 */
export const KeyTag = {
  ACCOUNT: 0x61, // a
  MEMBER: 0x6d, // m
  ORG: 0x6f, // o
  NAMESPACE: 0x6e, // n
  RECORD: 0x72, // r
  HISTORY: 0x68, // h
  VALIDATOR_SET: 0x76, // v
  VALIDATOR_INDEX: 0x56, // V
  PROPOSAL: 0x67, // g
  PENDING_PROPOSALS: 0x47, // G
  NEXT_PROPOSAL_ID: 0x4e, // N
  META: 0x78, // x
  TREE_NODE: 0x73, // s
} as const;

const UNCOMMITTED: ReadonlySet<number> = new Set([KeyTag.HISTORY, KeyTag.META, KeyTag.TREE_NODE]);

/** Whether a state key is a leaf of the state root. */
export function isCommittedKey(key: Uint8Array): boolean {
  return key.length > 0 && !UNCOMMITTED.has(key[0] as number);
}

function tag(t: number): Uint8Array {
  return new Uint8Array([t]);
}

function u8Text(s: string): Uint8Array {
  const b = utf8ToBytes(s);
  if (b.length > 0xff) throw new RangeError(`"${s}" is longer than 255 bytes`);
  return concatBytes(new Uint8Array([b.length]), b);
}

function u16Text(s: string): Uint8Array {
  const b = utf8ToBytes(s);
  if (b.length > 0xffff) throw new RangeError("key is longer than 65535 bytes");
  return concatBytes(new Uint8Array([b.length >> 8, b.length & 0xff]), b);
}

/** 8-byte big-endian; n is a safe integer, so the high half fits in 21 bits. */
export function u64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`expected unsigned integer, got ${n}`);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32));
  view.setUint32(4, n >>> 0);
  return out;
}

export const stateKeys = {
  account: (publicKey: Uint8Array) => concatBytes(tag(KeyTag.ACCOUNT), publicKey),
  member: (publicKey: Uint8Array) => concatBytes(tag(KeyTag.MEMBER), publicKey),
  org: (id: string) => concatBytes(tag(KeyTag.ORG), u8Text(id)),
  namespace: (name: string) => concatBytes(tag(KeyTag.NAMESPACE), u8Text(name)),
  record: (namespace: string, key: string) => concatBytes(tag(KeyTag.RECORD), u8Text(namespace), u16Text(key)),
  version: (namespace: string, key: string, version: number) =>
    concatBytes(tag(KeyTag.HISTORY), u8Text(namespace), u16Text(key), u64(version)),
  validatorSet: (fromHeight: number) => concatBytes(tag(KeyTag.VALIDATOR_SET), u64(fromHeight)),
  validatorIndex: () => tag(KeyTag.VALIDATOR_INDEX),
  proposal: (id: number) => concatBytes(tag(KeyTag.PROPOSAL), u64(id)),
  pendingProposals: () => tag(KeyTag.PENDING_PROPOSALS),
  nextProposalId: () => tag(KeyTag.NEXT_PROPOSAL_ID),
  meta: () => tag(KeyTag.META),
  treeNode: (hash: Uint8Array) => concatBytes(tag(KeyTag.TREE_NODE), hash),
} as const;
