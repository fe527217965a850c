import { bytesToKey, compareBytes } from "@hansa/core";

/**
 * Read access to the committed state. The node implements it over LevelDB; tests over a Map. Synchronous:
 * the node answers from its state cache or LevelDB's synchronous read, and executing a block reads thousands
 * of keys (state values and tree nodes), for which a promise each cost more than the reads.
 */
export interface StateReader {
  /** `id`, when given, is `bytesToKey(key)`, already made by a caller that keys its own maps the same way. */
  get(key: Uint8Array, id?: string): Uint8Array | undefined;
}

/** One change for the node to apply: a put, or a delete when `value` is null. */
export interface StateWrite {
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * Pending writes layered over a reader. A block runs in one overlay over the committed state and each
 * transaction in a child overlay, merged into the block's on success and dropped on failure; nothing is
 * written anywhere until the node applies `writes()` in one batch.
 */
export class Overlay implements StateReader {
  private readonly pending = new Map<string, StateWrite>();

  constructor(private readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.lookup(bytesToKey(key), key);
  }

  /** One key conversion per read however deep the overlays nest (transaction, block, committed state). */
  private lookup(id: string, key: Uint8Array): Uint8Array | undefined {
    const w = this.pending.get(id);
    if (w !== undefined) return w.value ?? undefined;
    return this.base instanceof Overlay ? this.base.lookup(id, key) : this.base.get(key, id);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.pending.set(bytesToKey(key), { key, value });
  }

  delete(key: Uint8Array): void {
    this.pending.set(bytesToKey(key), { key, value: null });
  }

  child(): Overlay {
    return new Overlay(this);
  }

  /** Moves this overlay's writes into the overlay it was made from. */
  mergeInto(parent: Overlay): void {
    for (const w of this.pending.values()) parent.pending.set(bytesToKey(w.key), w);
    this.pending.clear();
  }

  /** The writes, sorted by key bytes, so their order never depends on the order of execution. */
  writes(): StateWrite[] {
    return [...this.pending.values()].sort((a, b) => compareBytes(a.key, b.key));
  }
}

/**
 * A StateReader over a Map kept in memory, for tests and dry runs. Keys are stored by their bytes (`bytesToKey`),
 * so lookups never depend on iteration order.
 */
export class MemoryState implements StateReader {
  private readonly entries = new Map<string, Uint8Array>();

  get(key: Uint8Array, id = bytesToKey(key)): Uint8Array | undefined {
    return this.entries.get(id);
  }

  /** Applies a batch as the node would: all of it, in order. */
  apply(writes: readonly StateWrite[]): void {
    for (const w of writes) {
      const id = bytesToKey(w.key);
      if (w.value === null) this.entries.delete(id);
      else this.entries.set(id, w.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every entry sorted by key, as LevelDB would list them. */
  dump(): StateWrite[] {
    return (
      [...this.entries.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        // Keys are one latin1 character per byte, so string order is byte order.
        .map(([id, value]) => ({ key: new Uint8Array(Buffer.from(id, "latin1")), value }))
    );
  }
}
