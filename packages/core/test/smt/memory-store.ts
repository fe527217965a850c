import { createHash } from "node:crypto";
import { type SmtNodeEntry, type SmtNodeStore, smtRecordHash } from "@hansa/core";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The record store of the tests: a Map, checking on write that every record is stored under its own hash. */
export class MemoryStore implements SmtNodeStore {
  readonly nodes = new Map<string, Uint8Array>();
  /** How many times each hash was read, to check that an update reads each node once. */
  readonly reads = new Map<string, number>();

  get(hash: Uint8Array): Uint8Array | undefined {
    const k = hex(hash);
    this.reads.set(k, (this.reads.get(k) ?? 0) + 1);
    return this.nodes.get(k);
  }

  put(entries: readonly SmtNodeEntry[]): void {
    for (const [hash, encoded] of entries) {
      const actual = hex(smtRecordHash(encoded));
      if (actual !== hex(hash)) throw new Error(`record stored under ${hex(hash)} hashes to ${actual}`);
      this.nodes.set(hex(hash), encoded);
    }
  }
}

/** 32-byte value or key from hex, padded on the right with zeros. */
export function bytes32(hexPrefix: string): Uint8Array {
  return new Uint8Array(Buffer.from(hexPrefix.padEnd(64, "0"), "hex"));
}

/**
 * The root by its definition over a set, written apart from the tree's code: the oracle the tests compare
 * against. Entries must have distinct keys.
 */
export function referenceRoot(entries: ReadonlyArray<[Uint8Array, Uint8Array]>, depth = 0): Uint8Array {
  if (entries.length === 0) return new Uint8Array(32);
  if (entries.length === 1) {
    const [k, v] = entries[0] as [Uint8Array, Uint8Array];
    return new Uint8Array(createHash("sha256").update(Uint8Array.of(0)).update(k).update(v).digest());
  }
  const bit = (k: Uint8Array) => ((k[depth >> 3] as number) >> (7 - (depth % 8))) & 1;
  const left = referenceRoot(
    entries.filter(([k]) => bit(k) === 0),
    depth + 1,
  );
  const right = referenceRoot(
    entries.filter(([k]) => bit(k) === 1),
    depth + 1,
  );
  return new Uint8Array(createHash("sha256").update(Uint8Array.of(1)).update(left).update(right).digest());
}
