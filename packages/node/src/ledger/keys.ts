import { allocBytes, concatBytes, utf8ToBytes } from "@hansa/core";

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

/**
 * A key built in one allocation: the tag byte, then each text with its length prefix (1 byte for the first,
 * 2 for the second), then an optional u64. Keys are made for every state read and write, thousands per block,
 * and assembling them from parts allocated several arrays per key. Longer ones are carved from a slab.
 */
function textKey(t: number, first: string, second?: string, version?: number): Uint8Array {
  const a = Buffer.byteLength(first, "utf8");
  if (a > 0xff) throw new RangeError(`"${first}" is longer than 255 bytes`);
  const b = second === undefined ? 0 : Buffer.byteLength(second, "utf8");
  if (b > 0xffff) throw new RangeError("key is longer than 65535 bytes");
  const out = allocBytes(2 + a + (second === undefined ? 0 : 2 + b) + (version === undefined ? 0 : 8));
  out[0] = t;
  out[1] = a;
  let offset = writeText(out, 2, first, a);
  if (second !== undefined) {
    out[offset] = b >> 8;
    out[offset + 1] = b & 0xff;
    offset = writeText(out, offset + 2, second, b);
  }
  if (version !== undefined) out.set(u64(version), offset);
  return out;
}

/** Writes `s` (`bytes` long in UTF-8) at `offset`; returns the offset after it. */
function writeText(out: Uint8Array, offset: number, s: string, bytes: number): number {
  // A non-ASCII char takes two or more bytes, so equal lengths mean the bytes are the char codes.
  if (bytes === s.length) {
    for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  } else {
    out.set(utf8ToBytes(s), offset);
  }
  return offset + bytes;
}

/** The tag byte followed by `bytes`, in one allocation. */
function taggedBytes(t: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + bytes.length);
  out[0] = t;
  out.set(bytes, 1);
  return out;
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
  account: (publicKey: Uint8Array) => taggedBytes(KeyTag.ACCOUNT, publicKey),
  member: (publicKey: Uint8Array) => taggedBytes(KeyTag.MEMBER, publicKey),
  org: (id: string) => textKey(KeyTag.ORG, id),
  namespace: (name: string) => textKey(KeyTag.NAMESPACE, name),
  record: (namespace: string, key: string) => textKey(KeyTag.RECORD, namespace, key),
  version: (namespace: string, key: string, version: number) => textKey(KeyTag.HISTORY, namespace, key, version),
  validatorSet: (fromHeight: number) => concatBytes(tag(KeyTag.VALIDATOR_SET), u64(fromHeight)),
  validatorIndex: () => tag(KeyTag.VALIDATOR_INDEX),
  proposal: (id: number) => concatBytes(tag(KeyTag.PROPOSAL), u64(id)),
  pendingProposals: () => tag(KeyTag.PENDING_PROPOSALS),
  nextProposalId: () => tag(KeyTag.NEXT_PROPOSAL_ID),
  meta: () => tag(KeyTag.META),
  treeNode: (hash: Uint8Array) => taggedBytes(KeyTag.TREE_NODE, hash),
} as const;
