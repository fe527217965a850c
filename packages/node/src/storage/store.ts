import { bytesToHex, bytesToUtf8, utf8ToBytes, ValidatorSet } from "@hansa/core";
import { type Db, openDb, view } from "./db.js";
import { StorageError } from "./errors.js";
import {
  bytesKey,
  encodeLocation,
  evidenceKey,
  heightKey,
  META_CHAIN,
  META_FORMAT,
  META_LATEST,
  prefixEnd,
  readU32,
  readU64,
  receiptKey,
  Table,
  u64,
  writeU64,
} from "./keys.js";
import { StateCache, stateCacheId } from "./state-cache.js";
import type {
  BlockCommit,
  ChainHead,
  ChainInfo,
  EvidenceEntry,
  GenesisCommit,
  StateReader,
  StateWrite,
  SyncEntry,
  TxLocation,
  WalReplay,
} from "./types.js";
import { Wal } from "./wal.js";

/**
 * State values kept in memory per generation (see StateCache). Small on purpose: every cached entry outlives
 * the young generation, so the collector marks it in every full collection, and a busy block writes ~15,000
 * keys. Measured at saturation (4 validators, 2 cores): 2,048 and 8,192 gave 1,166 tx/s, 4,096 gave 1,205, and
 * 32,768 gave 1,084 with ~40 MB more anonymous memory; LevelDB's memtable answers the misses cheaply.
 */
const STATE_CACHE_GENERATION = 4_096;

type Op = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

export interface StoreOptions {
  /** The LevelDB directory, created if missing (one per node). */
  directory: string;
}

export interface SyncRangeOptions {
  fromHeight: number;
  /** Inclusive; defaults to the committed head. */
  toHeight?: number;
  maxBlocks?: number;
  /** Stop once the returned blocks reach this many bytes (the first block is always returned). */
  maxBytes?: number;
}

/**
 * The validator's storage: blocks, commits, transaction index, receipts, ledger state, validator sets,
 * chain metadata and the consensus write-ahead log, all in one LevelDB database so that one batch can
 * change any of them atomically. Each block (or run of synced blocks) is one synced batch (`commitBlock`,
 * `commitBlocks`), so after a crash the store holds every block up to its head completely and nothing beyond.
 */
export class Store implements StateReader {
  private readonly db: Db;
  private readonly wal: Wal;
  private headCache: ChainHead | undefined;
  private chainCache: ChainInfo | undefined;
  /** Heights at which a validator set starts, ascending; there are few, so they all live in memory. */
  private readonly validatorHeights: number[];
  private readonly validatorSets = new Map<number, ValidatorSet>();
  private readonly stateCache = new StateCache(STATE_CACHE_GENERATION);
  /** Serialises writers of the head: each commit must see the head the previous one left. */
  private writeTail: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(db: Db, wal: Wal, head: ChainHead | undefined, chain: ChainInfo | undefined, vh: number[]) {
    this.db = db;
    this.wal = wal;
    this.headCache = head;
    this.chainCache = chain;
    this.validatorHeights = vh;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const db = await openDb(options.directory);
    try {
      const [latest, chain, format] = await db.getMany([META_LATEST, META_CHAIN, META_FORMAT]);
      if (chain) checkFormat(format);
      const validatorHeights: number[] = [];
      for await (const key of db.keys({
        gte: heightKey(Table.validators, 0),
        lt: Uint8Array.of(Table.validators + 1),
      })) {
        validatorHeights.push(readU64(key, 1));
      }
      const wal = await Wal.open(db);
      return new Store(db, wal, latest && decodeHead(latest), chain && decodeChain(chain), validatorHeights);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** The committed head, or undefined before `initChain`. Cached: no disk read. */
  get head(): ChainHead | undefined {
    return this.headCache;
  }

  get chain(): ChainInfo | undefined {
    return this.chainCache;
  }

  /**
   * Writes genesis (height 0) once. Calling it again with the same chain id and genesis hash is a no-op, so
   * a node can run it on every start; a different genesis fails with STORAGE_GENESIS_MISMATCH.
   */
  initChain(genesis: GenesisCommit): Promise<void> {
    return this.serialise(async () => {
      assertHash(genesis.genesisHash, "genesisHash");
      const existing = this.chainCache;
      if (existing) {
        if (existing.chainId !== genesis.chainId) {
          throw new StorageError(
            { code: "STORAGE_GENESIS_MISMATCH", field: "chainId" },
            `store holds chain ${existing.chainId}, not ${genesis.chainId}`,
          );
        }
        if (bytesToHex(existing.genesisHash) !== bytesToHex(genesis.genesisHash)) {
          throw new StorageError(
            { code: "STORAGE_GENESIS_MISMATCH", field: "genesisHash" },
            `store holds another genesis of chain ${existing.chainId}`,
          );
        }
        return;
      }
      const head = { height: 0, hash: genesis.genesisHash };
      const chain = { chainId: genesis.chainId, genesisHash: genesis.genesisHash };
      const ops: Op[] = [
        { type: "put", key: META_CHAIN, value: encodeChain(chain) },
        { type: "put", key: META_LATEST, value: encodeHead(head) },
        { type: "put", key: META_FORMAT, value: Uint8Array.of(STORE_FORMAT) },
        { type: "put", key: heightKey(Table.validators, 1), value: genesis.validatorSet.encode() },
      ];
      pushStateWrites(ops, genesis.stateWrites ?? []);
      await this.db.batch(ops, { sync: true });
      this.stateCache.clear();
      this.chainCache = chain;
      this.headCache = head;
      this.addValidatorSet(1, genesis.validatorSet);
    });
  }

  /** Writes a whole block — block, commit, tx index, receipts, state, validator set, head — in one synced batch. */
  commitBlock(commit: BlockCommit): Promise<void> {
    return this.commitBlocks([commit]);
  }

  /**
   * Writes consecutive blocks in one synced batch with the head moved to the last of them: after a crash the
   * store holds all of them or none (block sync commits a fetched batch this way, one fsync instead of one
   * per block).
   */
  commitBlocks(commits: readonly BlockCommit[]): Promise<void> {
    return this.serialise(async () => {
      const head = this.headCache;
      if (!head) throw new StorageError({ code: "STORAGE_NOT_INITIALIZED" }, "commitBlock before initChain");
      if (commits.length === 0) return;
      const ops: Op[] = [];
      const scheduledSets: { fromHeight: number; set: ValidatorSet }[] = [];
      let height = head.height;
      for (const commit of commits) {
        pushBlockOps(ops, commit, height + 1);
        if (commit.validatorSet) scheduledSets.push(commit.validatorSet);
        height = commit.height;
      }
      const last = commits[commits.length - 1] as BlockCommit;
      const next = { height: last.height, hash: last.hash };
      ops.push({ type: "put", key: META_LATEST, value: encodeHead(next) });
      await this.db.batch(ops, { sync: true });
      // Only once LevelDB holds the batch: until then readers must see the previous state.
      for (const commit of commits) this.stateCache.apply(commit.stateWrites);
      this.headCache = next;
      for (const scheduled of scheduledSets) this.addValidatorSet(scheduled.fromHeight, scheduled.set);
    });
  }

  async getBlock(height: number): Promise<Uint8Array | undefined> {
    return view(await this.db.get(heightKey(Table.block, height)));
  }

  async getHeightByHash(hash: Uint8Array): Promise<number | undefined> {
    const value = await this.db.get(bytesKey(Table.blockHash, hash));
    return value && readU64(value, 0);
  }

  async getBlockByHash(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const height = await this.getHeightByHash(hash);
    return height === undefined ? undefined : this.getBlock(height);
  }

  /** The commit certificate this node saw for `height`. */
  async getCommit(height: number): Promise<Uint8Array | undefined> {
    return view(await this.db.get(heightKey(Table.commit, height)));
  }

  /** Synchronous read for the same reason as `get`: every admitted transaction asks it. */
  async getTxLocation(txHash: Uint8Array): Promise<TxLocation | undefined> {
    const value = this.db.getSync(bytesKey(Table.tx, txHash));
    return value && decodeLocation(value);
  }

  /**
   * Looks up many transactions (replay checks over a whole block), read synchronously for the reason `get`
   * gives: one `getMany` through libuv's thread pool queued behind the WAL's and the blocks' fsyncs, and took
   * 100–300 ms for a 2,000-transaction block under load where the reads themselves take a few ms.
   */
  async getTxLocations(txHashes: readonly Uint8Array[]): Promise<(TxLocation | undefined)[]> {
    return txHashes.map((h) => {
      const value = this.db.getSync(bytesKey(Table.tx, h));
      return value && decodeLocation(value);
    });
  }

  async getReceiptAt(height: number, index: number): Promise<Uint8Array | undefined> {
    return view(await this.db.get(receiptKey(height, index)));
  }

  async getReceipt(txHash: Uint8Array): Promise<Uint8Array | undefined> {
    const location = await this.getTxLocation(txHash);
    return location && this.getReceiptAt(location.height, location.index);
  }

  /** The encoded receipts of one block, in transaction order. */
  async getBlockReceipts(height: number): Promise<Uint8Array[]> {
    const values = await this.db.values({ gte: receiptKey(height, 0), lt: receiptKey(height + 1, 0) }).all();
    return values.map((v) => view(v));
  }

  /** Height of the block that committed the evidence with this id, if any did. */
  async getEvidenceHeight(id: Uint8Array): Promise<number | undefined> {
    const value = await this.db.get(bytesKey(Table.evidenceId, id));
    return value ? readU64(value, 0) : undefined;
  }

  /** Committed evidence from position (`from.height`, `from.index`) on, in chain order, at most `limit` entries. */
  async listEvidence(from: { height: number; index: number }, limit: number): Promise<EvidenceEntry[]> {
    const end = heightKey(Table.evidence, Number.MAX_SAFE_INTEGER);
    const range = { gte: evidenceKey(from.height, from.index), lt: end, limit };
    const entries = await this.db.iterator(range).all();
    return entries.map(([key, value]) => ({ height: readU64(key, 1), index: readU32(key, 9), bytes: view(value) }));
  }

  /** Consecutive committed blocks with their commits, for peers catching up. */
  async syncRange(options: SyncRangeOptions): Promise<SyncEntry[]> {
    const top = Math.min(options.toHeight ?? Number.MAX_SAFE_INTEGER, this.headCache?.height ?? 0);
    if (options.fromHeight > top) return [];
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const heights: number[] = [];
    const blocks: Uint8Array[] = [];
    let bytes = 0;
    const range = {
      gte: heightKey(Table.block, Math.max(1, options.fromHeight)),
      lte: heightKey(Table.block, top),
      limit: options.maxBlocks ?? -1,
    };
    for await (const [key, value] of this.db.iterator(range)) {
      if (blocks.length > 0 && bytes + value.length > maxBytes) break;
      heights.push(readU64(key, 1));
      blocks.push(view(value));
      bytes += value.length;
    }
    const commits = await this.db.getMany(heights.map((h) => heightKey(Table.commit, h)));
    return heights.map((height, i) => {
      const commitBytes = commits[i];
      if (!commitBytes) {
        throw new StorageError({ code: "STORAGE_CORRUPT", key: `commit/${height}` }, `block ${height} has no commit`);
      }
      return { height, blockBytes: blocks[i] as Uint8Array, commitBytes: view(commitBytes) };
    });
  }

  /**
   * Committed ledger state (StateReader). Reads synchronously: executing a block reads thousands of keys one
   * after another, and a round trip through libuv's thread pool per key (measured: milliseconds each with
   * four validators sharing two cores) made execution wait far longer than LevelDB takes to answer from
   * its caches.
   */
  get(key: Uint8Array, id = stateCacheId(key)): Uint8Array | undefined {
    const cached = this.stateCache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const value = view(this.db.getSync(bytesKey(Table.state, key)));
    this.stateCache.set(id, value ?? null);
    return value;
  }

  async getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    const values = await this.db.getMany(keys.map((k) => bytesKey(Table.state, k)));
    return values.map((v) => view(v));
  }

  /** State entries whose key starts with `prefix`, in key order. */
  async scanState(prefix: Uint8Array, options: { limit?: number } = {}): Promise<StateWrite[]> {
    const start = bytesKey(Table.state, prefix);
    const end = prefixEnd(start) as Uint8Array; // the table byte is below 0xff, so an end always exists
    const entries = await this.db.iterator({ gte: start, lt: end, limit: options.limit ?? -1 }).all();
    return entries.map(([key, value]) => ({ key: view(key).subarray(1), value: view(value) }));
  }

  /** The validator set that votes on `height` (>= 1): the last one scheduled at or below it. */
  async validatorSetAt(height: number): Promise<ValidatorSet> {
    let from: number | undefined;
    for (let i = this.validatorHeights.length - 1; i >= 0; i--) {
      const h = this.validatorHeights[i] as number;
      if (h <= height) {
        from = h;
        break;
      }
    }
    if (from === undefined)
      throw new StorageError({ code: "STORAGE_NOT_INITIALIZED" }, `no validator set for ${height}`);
    const cached = this.validatorSets.get(from);
    if (cached) return cached;
    const bytes = await this.db.get(heightKey(Table.validators, from));
    if (!bytes) throw new StorageError({ code: "STORAGE_CORRUPT", key: `validators/${from}` }, "validator set missing");
    const set = ValidatorSet.decode(bytes);
    this.validatorSets.set(from, set);
    return set;
  }

  /** Appends a consensus record; synced before the promise resolves unless `sync: false`. Returns its seq. */
  appendWal(height: number, record: Uint8Array, options?: { sync?: boolean }): Promise<number> {
    return this.wal.append(height, record, options);
  }

  readWal(fromHeight: number): Promise<WalReplay> {
    return this.wal.read(fromHeight);
  }

  pruneWal(belowHeight: number): Promise<void> {
    return this.wal.prune(belowHeight);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeTail;
    await this.db.close();
  }

  private serialise(write: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError({ code: "STORAGE_CLOSED" }, "store is closed"));
    const run = this.writeTail.then(write);
    this.writeTail = run.catch(() => {});
    return run;
  }

  private addValidatorSet(fromHeight: number, set: ValidatorSet): void {
    if (!this.validatorHeights.includes(fromHeight)) {
      this.validatorHeights.push(fromHeight);
      this.validatorHeights.sort((a, b) => a - b);
    }
    this.validatorSets.set(fromHeight, set);
  }
}

export function openStore(options: StoreOptions): Promise<Store> {
  return Store.open(options);
}

/** The writes of one block at `expectedHeight` (everything but the head), after checking its shape. */
function pushBlockOps(ops: Op[], commit: BlockCommit, expectedHeight: number): void {
  if (commit.height !== expectedHeight) {
    throw new StorageError(
      { code: "STORAGE_HEIGHT_MISMATCH", expected: expectedHeight, got: commit.height },
      `expected block ${expectedHeight}, got ${commit.height}`,
    );
  }
  assertHash(commit.hash, "hash");
  if (commit.receipts.length !== commit.txHashes.length) {
    throw new StorageError(
      { code: "STORAGE_BAD_INPUT", field: "receipts" },
      `${commit.txHashes.length} transactions but ${commit.receipts.length} receipts`,
    );
  }
  const { height } = commit;
  ops.push(
    { type: "put", key: heightKey(Table.block, height), value: commit.blockBytes },
    { type: "put", key: bytesKey(Table.blockHash, commit.hash), value: u64(height) },
    { type: "put", key: heightKey(Table.commit, height), value: commit.commitBytes },
  );
  commit.txHashes.forEach((txHash, index) => {
    assertHash(txHash, `txHashes[${index}]`);
    ops.push({ type: "put", key: bytesKey(Table.tx, txHash), value: encodeLocation(height, index) });
    ops.push({ type: "put", key: receiptKey(height, index), value: commit.receipts[index] as Uint8Array });
  });
  commit.evidence?.forEach(({ id, bytes }, index) => {
    assertHash(id, `evidence[${index}].id`);
    ops.push({ type: "put", key: evidenceKey(height, index), value: bytes });
    ops.push({ type: "put", key: bytesKey(Table.evidenceId, id), value: u64(height) });
  });
  pushStateWrites(ops, commit.stateWrites);
  const scheduled = commit.validatorSet;
  if (scheduled) {
    if (!Number.isSafeInteger(scheduled.fromHeight) || scheduled.fromHeight <= height) {
      throw new StorageError(
        { code: "STORAGE_BAD_INPUT", field: "validatorSet.fromHeight" },
        `a validator set scheduled at height ${height} must start later, not at ${scheduled.fromHeight}`,
      );
    }
    ops.push({ type: "put", key: heightKey(Table.validators, scheduled.fromHeight), value: scheduled.set.encode() });
  }
}

/**
 * The data directory's layout version. 1 had no marker and kept the state tree one binary node per record;
 * 2 keeps it in pages (docs/state-tree.md). A node refuses a directory of another version by name, instead of
 * failing later on a record it cannot read.
 */
export const STORE_FORMAT = 2;

function checkFormat(stored: Uint8Array | undefined): void {
  const found = stored === undefined ? 1 : (stored[0] as number);
  if (found !== STORE_FORMAT) {
    throw new StorageError(
      { code: "STORAGE_FORMAT", found, expected: STORE_FORMAT },
      `data directory has store format ${found}; this build reads format ${STORE_FORMAT}: start from genesis in a new directory`,
    );
  }
}

function pushStateWrites(ops: Op[], writes: readonly StateWrite[]): void {
  for (const w of writes) {
    const key = bytesKey(Table.state, w.key);
    ops.push(w.value === null ? { type: "del", key } : { type: "put", key, value: w.value });
  }
}

function assertHash(value: unknown, field: string): void {
  if (!(value instanceof Uint8Array) || value.length !== 32) {
    throw new StorageError({ code: "STORAGE_BAD_INPUT", field }, `"${field}" expected 32 bytes`);
  }
}

function encodeHead(head: ChainHead): Uint8Array {
  const out = new Uint8Array(8 + head.hash.length);
  writeU64(out, 0, head.height);
  out.set(head.hash, 8);
  return out;
}

function decodeHead(value: Uint8Array): ChainHead {
  return { height: readU64(value, 0), hash: Uint8Array.from(value.subarray(8)) };
}

function encodeChain(chain: ChainInfo): Uint8Array {
  const id = utf8ToBytes(chain.chainId);
  const out = new Uint8Array(32 + id.length);
  out.set(chain.genesisHash, 0);
  out.set(id, 32);
  return out;
}

function decodeChain(value: Uint8Array): ChainInfo {
  return { genesisHash: Uint8Array.from(value.subarray(0, 32)), chainId: bytesToUtf8(value.subarray(32)) };
}

function decodeLocation(value: Uint8Array): TxLocation {
  return { height: readU64(value, 0), index: readU32(value, 8) };
}
