import { Level } from "level";

/** The node's LevelDB handle: binary keys and values throughout. */
export type Db = Level<Uint8Array, Uint8Array>;

/**
 * LevelDB's memtable, 4 MiB by default. A busy block writes a few MiB, so the default flushed a level-0 table
 * every block or two and compaction ran behind it; 16 MiB measured +10–15% committed transactions at saturation
 * (4 validators on 2 cores), 32 MiB no more. At most two memtables exist at once (one being flushed).
 */
const WRITE_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * Table files LevelDB keeps open (1,000 by default). Each open table is memory-mapped for reads and the pages
 * it touched count in the process's RSS until the table is closed, so with the default a validator's RSS grew
 * with its database (+60 MB over the last minute of a 3-minute saturation run). 128 bounds the mapped part to
 * ~120 tables (~240 MB at most, ~150 MB seen) and measured the same throughput within the noise: reads go
 * mostly to recent tables (accounts, the upper tree pages), and a closed table is reopened on demand.
 */
const MAX_OPEN_FILES = 128;

export async function openDb(directory: string): Promise<Db> {
  const db = new Level<Uint8Array, Uint8Array>(directory, {
    keyEncoding: "view",
    valueEncoding: "view",
    writeBufferSize: WRITE_BUFFER_BYTES,
    maxOpenFiles: MAX_OPEN_FILES,
  });
  // Opening replays LevelDB's own log, so a database a crash left mid-write comes back with every batch
  // that was acknowledged and none that was torn.
  await db.open();
  return db;
}

/**
 * LevelDB hands back Node Buffers; callers get plain Uint8Array views of the same memory, so values compare
 * and slice like every other byte array in Hansa (Buffer#slice shares memory, Uint8Array#slice copies).
 */
export function view(value: Uint8Array): Uint8Array;
export function view(value: Uint8Array | undefined): Uint8Array | undefined;
export function view(value: Uint8Array | undefined): Uint8Array | undefined {
  return value && new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
