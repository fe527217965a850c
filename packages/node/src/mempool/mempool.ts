import {
  bytesTo0x,
  bytesToKey,
  decodeTransaction,
  isHansaError,
  MAX_TRANSACTION_BYTES,
  RecentMap,
  type Transaction,
  transactionHash,
  verifyEncodedTransactionSignature,
} from "@hansa/core";
import { MempoolError } from "./errors.js";
import { GossipBatcher } from "./gossip-batcher.js";
import { type PendingTx, SenderQueue } from "./sender-queue.js";
import {
  type AdmitResult,
  type CommittedBlockTxs,
  EvictionReason,
  type GossipHandler,
  type MempoolModules,
  type MempoolOptions,
  type ReapedTx,
  type ReapLimits,
  TxSource,
  type TxStatus,
} from "./types.js";

type Settled = Extract<TxStatus, { status: "committed" | "evicted" }>;
type Eviction = Extract<TxStatus, { status: "evicted" }>;

/** Admissions retry when a block lands mid-way; past this many, the caller is told to try again. */
const MAX_ADMIT_ATTEMPTS = 8;

/**
 * The pool of transactions waiting for a block. Admission runs every check a block would (size, decoding,
 * chain, signature, duplicates, replays, nonce order, the ledger's own check), so what `reap` hands the
 * proposer is executable. A transaction once accepted is never dropped silently: it is committed, or evicted
 * with a reason that `status` reports for at least the next `evictedRecordSize / 2` evictions. See docs/storage.md.
 */
export class Mempool {
  private readonly options: Required<MempoolOptions>;
  private readonly modules: MempoolModules;
  /** Pending transactions by hash (`bytesToKey`), in arrival order. */
  private readonly pending = new Map<string, PendingTx>();
  private readonly senders = new Map<string, SenderQueue>();
  /** Hashes being admitted right now, so two copies of one transaction racing in are caught. */
  private readonly admitting = new Set<string>();
  private readonly evicted: RecentMap<string, Eviction>;
  private readonly verified: RecentMap<string, true>;
  private readonly waiters = new Map<string, Set<(status: TxStatus) => void>>();
  private readonly gossip: GossipBatcher;
  private pendingBytes = 0;
  private seq = 0;
  private height = 0;
  /** Bumped whenever a block changes committed state; admissions that straddle a bump start over. */
  private epoch = 0;
  private updateTail: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(options: MempoolOptions, modules: MempoolModules) {
    const maxTxs = options.maxTxs ?? 10_000;
    this.options = {
      chainId: options.chainId,
      maxTxs,
      maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
      maxTxBytes: Math.min(options.maxTxBytes ?? MAX_TRANSACTION_BYTES, MAX_TRANSACTION_BYTES),
      nonceWindow: options.nonceWindow ?? 1024,
      ttlBlocks: options.ttlBlocks ?? 600,
      recheck: options.recheck ?? "nonce",
      evictedRecordSize: options.evictedRecordSize ?? 10_000,
      verifiedCacheSize: options.verifiedCacheSize ?? 2 * maxTxs,
      gossipBatchTxs: options.gossipBatchTxs ?? 500,
      gossipBatchBytes: options.gossipBatchBytes ?? 1024 * 1024,
      gossipIntervalMs: options.gossipIntervalMs ?? 20,
      regossip: options.regossip ?? false,
      dryRunGossip: options.dryRunGossip ?? false,
    };
    this.modules = modules;
    // Two generations of half the size each: at most the configured number, at least the latest half.
    this.evicted = new RecentMap(Math.ceil(this.options.evictedRecordSize / 2));
    this.verified = new RecentMap(Math.ceil(this.options.verifiedCacheSize / 2));
    this.gossip = new GossipBatcher({
      maxTxs: this.options.gossipBatchTxs,
      maxBytes: this.options.gossipBatchBytes,
      intervalMs: this.options.gossipIntervalMs,
      onError: (err) => modules.logger?.warn("gossip handler failed", { error: String(err) }),
    });
  }

  get size(): number {
    return this.pending.size;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  /**
   * Height of the last block `update` applied. Once it reaches a height, no transaction committed at or below
   * it is pending: each block's transactions leave the pool as it is applied, and admission refuses what the
   * store already holds.
   */
  get appliedHeight(): number {
    return this.height;
  }

  /**
   * Admits an encoded transaction or throws: a MempoolError, or the ledger check's own typed error.
   * The same admission serves RPC and gossip; `source` only decides whether it is gossiped on.
   */
  async add(bytes: Uint8Array, source: TxSource = TxSource.rpc): Promise<AdmitResult> {
    try {
      const result = await this.admit(bytes, source);
      this.modules.metrics?.txsAdmittedTotal?.inc({ source });
      return result;
    } catch (err) {
      this.modules.metrics?.txsRejectedTotal?.inc({ code: isHansaError(err) ? err.code : "UNKNOWN" });
      throw err;
    }
  }

  /** True if this transaction's signature was verified here (pending, or seen recently). */
  isVerified(hash: Uint8Array): boolean {
    return this.verified.has(bytesToKey(hash));
  }

  /** Records a signature verified elsewhere (in a proposal), so a re-proposal does not verify it again. */
  markVerified(hash: Uint8Array): void {
    this.verified.set(bytesToKey(hash), true);
  }

  has(hash: Uint8Array): boolean {
    return this.pending.has(bytesToKey(hash));
  }

  /** The encoded bytes and decoded form of a pending transaction. */
  getPending(hash: Uint8Array): { bytes: Uint8Array; tx: Transaction } | undefined {
    const p = this.pending.get(bytesToKey(hash));
    return p ? { bytes: p.bytes, tx: p.tx } : undefined;
  }

  /** The next nonce `sender` can use counting its pending transactions, or undefined when it has none. */
  pendingNonce(sender: Uint8Array): number | undefined {
    return this.senders.get(bytesToKey(sender))?.contiguousNext();
  }

  async status(hash: Uint8Array): Promise<TxStatus> {
    const id = bytesToKey(hash);
    if (this.pending.has(id)) return { status: "pending" };
    const location = await this.modules.store.getTxLocation(hash);
    if (location) return { status: "committed", height: location.height, index: location.index };
    return this.evicted.get(id) ?? { status: "unknown" };
  }

  /**
   * Resolves once the transaction is committed or evicted, or after `timeoutMs` with its status then
   * (`pending` or `unknown`). Works for transactions this node never held: another validator's block may
   * commit them.
   */
  waitFor(hash: Uint8Array, timeoutMs: number): Promise<TxStatus> {
    const id = bytesToKey(hash);
    return new Promise<TxStatus>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (status: TxStatus) => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        const set = this.waiters.get(id);
        set?.delete(settle);
        if (set?.size === 0) this.waiters.delete(id);
        resolve(status);
      };
      timer = setTimeout(() => {
        void this.status(hash).then(settle, () => settle({ status: "unknown" }));
      }, timeoutMs);
      // Register before looking, so an update between the lookup and the registration is not missed.
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      set.add(settle);
      this.status(hash).then(
        (status) => {
          if (status.status === "committed" || status.status === "evicted") settle(status);
        },
        () => {},
      );
    });
  }

  /**
   * Executable transactions for the next block, oldest first, each sender's in nonce order and without gaps.
   * They stay pending until `update` reports them committed, so a failed round loses nothing.
   */
  reap(limits: ReapLimits): ReapedTx[] {
    const out: ReapedTx[] = [];
    const taken = new Set<string>();
    const next = new Map<string, number>();
    const blocked = new Set<string>();
    let bytes = 0;
    for (const entry of this.pending.values()) {
      if (out.length >= limits.maxTxs) break;
      if (taken.has(entry.id) || blocked.has(entry.sender)) continue;
      const queue = this.senders.get(entry.sender) as SenderQueue;
      let nonce = next.get(entry.sender) ?? queue.base;
      // Not executable yet: a lower nonce is missing, or arrives later and will take this one along then.
      if (entry.tx.nonce !== nonce) continue;
      let current: PendingTx | undefined = entry;
      // Take this one and its successors that arrived before it (and were skipped for lack of it).
      while (current && (current === entry || current.seq < entry.seq)) {
        if (out.length >= limits.maxTxs) break;
        if (bytes + current.bytes.length > limits.maxBytes) {
          blocked.add(entry.sender);
          break;
        }
        out.push({ hash: current.hash, bytes: current.bytes, tx: current.tx });
        taken.add(current.id);
        bytes += current.bytes.length;
        nonce = current.tx.nonce + 1;
        current = queue.byNonce.get(nonce);
      }
      next.set(entry.sender, nonce);
    }
    return out;
  }

  /**
   * Applies a committed block: its transactions leave the pool as committed (waking `waitFor`), the pending
   * nonces of its senders are re-validated against the new state, and what can no longer commit is evicted
   * with its reason. Call once per block, in height order, after the store has committed it.
   */
  update(block: CommittedBlockTxs): Promise<void> {
    const run = this.updateTail.then(() => this.applyBlock(block));
    this.updateTail = run.catch(() => {});
    return run;
  }

  onAdmitted(handler: GossipHandler): () => void {
    return this.gossip.subscribe(handler);
  }

  /** Sends the pending gossip batch now. */
  flushGossip(): void {
    this.gossip.flush();
  }

  start(): void {
    this.stopped = false;
  }

  /** Refuses new transactions, sends the last gossip batch and wakes every `waitFor` with its status. */
  stop(): void {
    this.stopped = true;
    this.gossip.stop();
    for (const [id, set] of this.waiters) {
      const status: TxStatus = this.pending.has(id) ? { status: "pending" } : { status: "unknown" };
      for (const settle of [...set]) settle(status);
    }
  }

  private async admit(bytes: Uint8Array, source: TxSource): Promise<AdmitResult> {
    if (this.stopped) throw new MempoolError({ code: "MEMPOOL_STOPPED" }, "mempool is stopped");
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`"tx" expected Uint8Array, got ${typeof bytes}`);
    const max = this.options.maxTxBytes;
    if (bytes.length > max) {
      throw new MempoolError(
        { code: "MEMPOOL_TX_TOO_LARGE", size: bytes.length, max },
        `transaction is ${bytes.length} bytes; the limit is ${max}`,
      );
    }
    const hash = transactionHash(bytes);
    const id = bytesToKey(hash);
    if (this.pending.has(id) || this.admitting.has(id)) {
      throw new MempoolError({ code: "MEMPOOL_DUPLICATE", hash: bytesTo0x(hash) }, "transaction is already pending");
    }
    let tx: Transaction;
    try {
      tx = decodeTransaction(bytes);
    } catch (err) {
      throw new MempoolError({ code: "MEMPOOL_MALFORMED", reason: (err as Error).message }, "undecodable transaction");
    }
    if (tx.chainId !== this.options.chainId) {
      throw new MempoolError(
        { code: "MEMPOOL_WRONG_CHAIN", chainId: tx.chainId, expected: this.options.chainId },
        `transaction is for chain ${tx.chainId}, not ${this.options.chainId}`,
      );
    }
    if (!this.verified.has(id)) {
      if (!verifyEncodedTransactionSignature(tx, bytes)) {
        throw new MempoolError({ code: "MEMPOOL_BAD_SIGNATURE", hash: bytesTo0x(hash) }, "signature does not verify");
      }
      this.verified.set(id, true);
    }
    this.assertRoom(bytes.length);
    this.admitting.add(id);
    try {
      for (let attempt = 0; attempt < MAX_ADMIT_ATTEMPTS; attempt++) {
        const epoch = this.epoch;
        const sender = bytesToKey(tx.sender);
        const base = this.senders.get(sender)?.base ?? (await this.modules.ledger.nextNonce(tx.sender));
        if (epoch !== this.epoch) continue;
        const expected = await this.checkNonceNotCommitted(tx, hash, sender, base);
        if (epoch !== this.epoch) continue;
        await this.modules.ledger.check(tx, expected, {
          dryRun: source === TxSource.rpc || this.options.dryRunGossip,
        });
        if (epoch !== this.epoch) continue;
        // Other admissions ran while we awaited: nonce slot and room are decided only now, synchronously.
        this.checkNonce(tx, sender, base);
        this.assertRoom(bytes.length);
        this.insert({ hash, id, bytes, tx, sender, source, seq: this.seq++, admittedAt: this.height }, base);
        return { hash };
      }
      throw new MempoolError({ code: "MEMPOOL_BUSY" }, "blocks kept landing during admission; try again");
    } finally {
      this.admitting.delete(id);
    }
  }

  /**
   * `checkNonce`, naming a replay of a committed transaction as such. Committing a transaction consumes its
   * nonce, so only a transaction whose nonce is used can be committed: the index is read for those alone,
   * not for every new transaction (a LevelDB miss per admission was ~4% of a validator's time under load).
   */
  private async checkNonceNotCommitted(tx: Transaction, hash: Uint8Array, sender: string, base: number) {
    try {
      return this.checkNonce(tx, sender, base);
    } catch (err) {
      if (!(err instanceof MempoolError && err.type.code === "MEMPOOL_NONCE_TOO_LOW")) throw err;
      const location = await this.modules.store.getTxLocation(hash);
      if (!location) throw err;
      throw new MempoolError(
        { code: "MEMPOOL_ALREADY_COMMITTED", hash: bytesTo0x(hash), ...location },
        `transaction was committed at height ${location.height}`,
      );
    }
  }

  /** Validates the nonce against the sender's queue (or `base` for a new sender); returns the expected nonce. */
  private checkNonce(tx: Transaction, sender: string, base: number): number {
    const queue = this.senders.get(sender);
    const committedNext = queue?.base ?? base;
    if (tx.nonce < committedNext) {
      throw new MempoolError(
        { code: "MEMPOOL_NONCE_TOO_LOW", nonce: tx.nonce, expected: committedNext },
        `nonce ${tx.nonce} is used; the sender's next nonce is ${committedNext}`,
      );
    }
    const holder = queue?.byNonce.get(tx.nonce);
    if (holder) {
      throw new MempoolError(
        { code: "MEMPOOL_NONCE_TAKEN", nonce: tx.nonce, pendingHash: bytesTo0x(holder.hash) },
        `another pending transaction of this sender has nonce ${tx.nonce}`,
      );
    }
    const window = this.options.nonceWindow;
    const expected = queue ? queue.expectedFor(tx.nonce) : committedNext;
    if (tx.nonce >= committedNext + window) {
      throw new MempoolError(
        { code: "MEMPOOL_NONCE_GAP", nonce: tx.nonce, expected, window },
        `nonce ${tx.nonce} is too far ahead; the sender's next nonce is ${expected}`,
      );
    }
    return expected;
  }

  private assertRoom(size: number): void {
    if (this.pending.size >= this.options.maxTxs) {
      throw new MempoolError(
        { code: "MEMPOOL_FULL", limit: "txs", max: this.options.maxTxs },
        `mempool holds its limit of ${this.options.maxTxs} transactions`,
      );
    }
    if (this.pendingBytes + size > this.options.maxBytes) {
      throw new MempoolError(
        { code: "MEMPOOL_FULL", limit: "bytes", max: this.options.maxBytes },
        `mempool holds its limit of ${this.options.maxBytes} bytes`,
      );
    }
  }

  private insert(entry: PendingTx, base: number): void {
    const queue = this.senders.get(entry.sender) ?? new SenderQueue(base);
    this.senders.set(entry.sender, queue);
    queue.byNonce.set(entry.tx.nonce, entry);
    this.pending.set(entry.id, entry);
    this.pendingBytes += entry.bytes.length;
    this.reportSize();
    if (entry.source === TxSource.rpc || this.options.regossip) this.gossip.push(entry.bytes);
  }

  private remove(entry: PendingTx): void {
    this.pending.delete(entry.id);
    this.pendingBytes -= entry.bytes.length;
    const queue = this.senders.get(entry.sender);
    if (queue) {
      queue.byNonce.delete(entry.tx.nonce);
      if (queue.byNonce.size === 0) this.senders.delete(entry.sender);
    }
  }

  private evict(entry: PendingTx, reason: EvictionReason, message: string): void {
    this.remove(entry);
    const status: Eviction = { status: "evicted", reason, message, height: this.height };
    this.evicted.set(entry.id, status);
    this.wake(entry.id, status);
    this.modules.metrics?.txsEvictedTotal?.inc({ reason });
    this.modules.logger?.debug("tx evicted", { hash: bytesTo0x(entry.hash), reason, message });
  }

  private wake(id: string, status: Settled): void {
    const set = this.waiters.get(id);
    if (!set) return;
    for (const settle of [...set]) settle(status);
  }

  private async applyBlock(block: CommittedBlockTxs): Promise<void> {
    this.epoch++;
    this.height = Math.max(this.height, block.height);
    // Senders whose nonces moved, by map key, with their public keys to read the new nonce with.
    const affected = new Map<string, Uint8Array>();
    for (const s of block.senders) affected.set(bytesToKey(s), s);
    block.txHashes.forEach((hash, index) => {
      const id = bytesToKey(hash);
      const entry = this.pending.get(id);
      if (entry) {
        affected.set(entry.sender, entry.tx.sender);
        this.remove(entry);
      }
      this.evicted.delete(id);
      this.wake(id, { status: "committed", height: block.height, index });
    });

    const senders = [...affected].filter(([s]) => this.senders.has(s));
    const bases = await Promise.all(senders.map(([, publicKey]) => this.modules.ledger.nextNonce(publicKey)));
    senders.forEach(([sender], i) => {
      const queue = this.senders.get(sender);
      if (!queue) return;
      queue.base = bases[i] as number;
      for (const entry of [...queue.byNonce.values()]) {
        if (entry.tx.nonce < queue.base) {
          this.evict(entry, EvictionReason.NONCE_USED, `nonce ${entry.tx.nonce} was used by another transaction`);
        }
      }
    });

    const ttl = this.options.ttlBlocks;
    for (const entry of this.pending.values()) {
      // Arrival order is admission-height order, so the first one still young ends the scan.
      if (entry.admittedAt + ttl > this.height) break;
      this.evict(entry, EvictionReason.EXPIRED, `pending for ${ttl} blocks without being committed`);
    }

    if (this.options.recheck === "full") await this.recheckAll();
    this.epoch++;
    this.reportSize();
  }

  private async recheckAll(): Promise<void> {
    const entries = [...this.pending.values()];
    const results = await Promise.allSettled(
      entries.map((e) => {
        const queue = this.senders.get(e.sender);
        return this.modules.ledger.check(e.tx, queue ? queue.expectedFor(e.tx.nonce) : e.tx.nonce, { dryRun: true });
      }),
    );
    results.forEach((result, i) => {
      const entry = entries[i] as PendingTx;
      if (result.status === "rejected" && this.pending.has(entry.id)) {
        const err = result.reason as unknown;
        const detail = isHansaError(err) ? `${err.code}: ${err.message}` : String(err);
        this.evict(entry, EvictionReason.RECHECK_FAILED, detail);
      }
    });
  }

  private reportSize(): void {
    this.modules.metrics?.pendingTxs?.set(this.pending.size);
    this.modules.metrics?.pendingBytes?.set(this.pendingBytes);
  }
}

export function createMempool(options: MempoolOptions, modules: MempoolModules): Mempool {
  return new Mempool(options, modules);
}
