import { type Db, view } from "./db.js";
import { heightKey, readU64, Table, walKey } from "./keys.js";
import type { WalEntry, WalReplay } from "./types.js";
import { frameWalRecord, unframeWalRecord } from "./wal-frame.js";

/**
 * The consensus write-ahead log, kept in the store's database under `w | height | seq`. The engine appends a
 * record before acting on it; appends are synced by default so the engine's own votes are on disk before
 * they leave. Keys sort by height, so replay from a height is one range scan and pruning is one range delete.
 */
export class Wal {
  private readonly db: Db;
  private nextSeq: number;

  private constructor(db: Db, nextSeq: number) {
    this.db = db;
    this.nextSeq = nextSeq;
  }

  static async open(db: Db): Promise<Wal> {
    // Sequence numbers only need to be unique and increasing; the log is pruned to a few heights, so the
    // scan for the largest one is short.
    let next = 0;
    for await (const key of db.keys({ gte: heightKey(Table.wal, 0), lt: Uint8Array.of(Table.wal + 1) })) {
      next = Math.max(next, readU64(key, 9) + 1);
    }
    return new Wal(db, next);
  }

  async append(height: number, data: Uint8Array, options: { sync?: boolean } = {}): Promise<number> {
    if (!(data instanceof Uint8Array)) throw new TypeError(`"record" expected Uint8Array, got ${typeof data}`);
    const seq = this.nextSeq++;
    await this.db.put(walKey(height, seq), frameWalRecord(height, seq, data), { sync: options.sync ?? true });
    return seq;
  }

  async read(fromHeight: number): Promise<WalReplay> {
    const records: WalEntry[] = [];
    const range = { gte: heightKey(Table.wal, fromHeight), lt: Uint8Array.of(Table.wal + 1) };
    for await (const [key, frame] of this.db.iterator(range)) {
      const height = readU64(key, 1);
      const seq = readU64(key, 9);
      const result = unframeWalRecord(height, seq, frame);
      if (!result.ok) return { records, corrupt: { height, seq, reason: result.reason } };
      records.push({ height, seq, data: view(result.data) });
    }
    return { records };
  }

  /** Deletes every record below `height` (the engine keeps the heights it may still replay). */
  async prune(belowHeight: number): Promise<void> {
    await this.db.clear({ gte: heightKey(Table.wal, 0), lt: heightKey(Table.wal, belowHeight) });
  }
}
