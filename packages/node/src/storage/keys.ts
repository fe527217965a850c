/**
 * The key layout of the node's one LevelDB database. Every key starts with a one-byte table prefix (an ASCII
 * letter, so raw dumps stay readable); heights are 8-byte big-endian and indexes 4-byte big-endian, so a
 * range over a table iterates in chain order. See docs/storage.md for the full table.
 */

import { allocBytes } from "@hansa/core";

export const Table = {
  /** Chain metadata: a fixed name after the prefix. */
  meta: 0x6d, // m
  /** height → encoded block */
  block: 0x62, // b
  /** block hash → height */
  blockHash: 0x68, // h
  /** height → encoded commit certificate that committed that height (the node's "seen" commit) */
  commit: 0x63, // c
  /** tx hash → (height, index) */
  tx: 0x74, // t
  /** (height, index) → encoded receipt */
  receipt: 0x72, // r
  /** ledger key → ledger value (opaque to the store) */
  state: 0x73, // s
  /** first height a validator set applies to → encoded validator set */
  validators: 0x76, // v
  /** (height, sequence) → framed consensus write-ahead record */
  wal: 0x77, // w
  /** (height, index) → encoded evidence committed in that block */
  evidence: 0x65, // e
  /** evidence id → height of the block that committed it */
  evidenceId: 0x69, // i
} as const;

export type TableId = (typeof Table)[keyof typeof Table];

export const META_LATEST = metaKey("latest");
export const META_CHAIN = metaKey("chain");
/** The layout version of the data directory (STORE_FORMAT), written with genesis. */
export const META_FORMAT = metaKey("format");

function metaKey(name: string): Uint8Array {
  return Uint8Array.from([Table.meta, ...Buffer.from(name, "ascii")]);
}

export function writeU64(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`"height" expected a safe uint, got ${value}`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 4, value >>> 0);
}

export function readU64(data: Uint8Array, offset: number): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return view.getUint32(offset) * 2 ** 32 + view.getUint32(offset + 4);
}

export function writeU32(out: Uint8Array, offset: number, value: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(offset, value);
}

export function readU32(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(offset);
}

export function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64(out, 0, value);
  return out;
}

/** `prefix | u64be(height)`: block, commit and validator-set tables. */
export function heightKey(table: TableId, height: number): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = table;
  writeU64(key, 1, height);
  return key;
}

/** `prefix | u64be(height) | u32be(index)`: receipts. */
export function receiptKey(height: number, index: number): Uint8Array {
  return indexedKey(Table.receipt, height, index);
}

/** `prefix | u64be(height) | u32be(index)`: evidence committed in a block. */
export function evidenceKey(height: number, index: number): Uint8Array {
  return indexedKey(Table.evidence, height, index);
}

function indexedKey(table: TableId, height: number, index: number): Uint8Array {
  const key = new Uint8Array(13);
  key[0] = table;
  writeU64(key, 1, height);
  writeU32(key, 9, index);
  return key;
}

/** `prefix | u64be(height) | u64be(seq)`: write-ahead records. */
export function walKey(height: number, seq: number): Uint8Array {
  const key = new Uint8Array(17);
  key[0] = Table.wal;
  writeU64(key, 1, height);
  writeU64(key, 9, seq);
  return key;
}

/** `prefix | bytes`: hash-keyed and state tables. Made for every state write, so carved from a slab. */
export function bytesKey(table: TableId, bytes: Uint8Array): Uint8Array {
  const key = allocBytes(1 + bytes.length);
  key[0] = table;
  key.set(bytes, 1);
  return key;
}

/** The exclusive upper bound of every key starting with `prefix`, or undefined if there is none (all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

/** `u64be(height) | u32be(index)`: the value of a tx-location entry. */
export function encodeLocation(height: number, index: number): Uint8Array {
  const out = new Uint8Array(12);
  writeU64(out, 0, height);
  writeU32(out, 8, index);
  return out;
}
