import {
  ActionType,
  type ConsensusEngine,
  createEngine,
  decodeWalRecord,
  type EngineAction,
  type EngineEvent,
  encodeWalRecord,
  type Signer,
  type WalRecord,
} from "@hansa/consensus";
import {
  bytesTo0x,
  bytesToHex,
  type CommitCertificate,
  createSigner,
  decodeCommit,
  decodeProposal,
  decodeVote,
  encodeCommit,
  encodeProposal,
  encodeVote,
  evidenceSubject,
  type ValidatorSet,
  verifyCommit,
} from "@hansa/core";
import { type BlockMessage, ConsensusKind, type ConsensusMessage, type HansaNetwork, type PeerInfo } from "@hansa/p2p";
import type { Mempool } from "../mempool/index.js";
import type { Logger, Metrics } from "../observability/index.js";
import type { Store } from "../storage/index.js";
import type { Equivocator } from "../testing/index.js";
import { BlockFactory, blockCommit, type PreparedBlock } from "./blocks.js";
import type { ChainView } from "./chain.js";
import type { EvidencePool } from "./evidence-pool.js";
import { SerialQueue } from "./serial-queue.js";
import { SyncBatch } from "./sync-batch.js";

export interface ConsensusHostOptions {
  /** The validator key; absent for an observer (or a validator not yet allowed to vote). */
  secretKey?: Uint8Array;
  publicKey: Uint8Array;
}

export interface ConsensusHostModules {
  chain: ChainView;
  store: Store;
  blocks: BlockFactory;
  mempool: Mempool;
  evidence: EvidencePool;
  network: HansaNetwork;
  /** Fault tests only: signs a conflicting twin of every message this validator sends. */
  equivocator?: Equivocator;
  logger: Logger;
  metrics?: Metrics;
  /** Called after each block is durably committed (consensus or sync). */
  onCommitted(prepared: PreparedBlock, certificate: CommitCertificate): void;
  /** Called when consensus starts a height, with the set that votes on it. */
  onHeightStarted?(height: number, validators: ValidatorSet): void;
}

/** Bodies kept for heights not yet reached: bounded so a peer cannot fill memory with blocks. */
const MAX_PENDING_BODIES = 32;
/** How often a decided block this node does not hold is asked for again until a peer has committed it. */
const DECIDED_SYNC_RETRY_MS = 500;
/**
 * Synced blocks are written in batches of up to this many blocks (one fsync each) or this many transactions,
 * whichever comes first: the fsync per block was most of the time a catching-up node spent.
 */
const SYNC_COMMIT_BLOCKS = 50;
const SYNC_COMMIT_TXS = 4_000;
/** Staged synced blocks are written after this long without a new one (a slow peer, the end of a range). */
const SYNC_IDLE_FLUSH_MS = 50;

/**
 * The host side of consensus (CometBFT's discipline): one serial loop feeds the engine every input;
 * each batch of actions runs in order, its WAL records synced before any message leaves; timers, block
 * building and validation run outside the loop and come back as inputs. Block sync commits through the
 * same loop, so a height is never committed twice.
 */
export class ConsensusHost {
  private engine!: ConsensusEngine;
  private readonly loop: SerialQueue;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Blocks built or validated at the current height, by hash: ready to commit without executing again. */
  private readonly prepared = new Map<string, PreparedBlock>();
  /** Proposal bodies received and not yet validated, by hash. */
  private readonly bodies = new Map<string, BlockMessage>();
  /** Validations running, by "height/round"; resolve once the verdict is queued for the engine. */
  private readonly validating = new Map<string, Promise<void>>();
  /** Validations waiting for their body to arrive. */
  private readonly awaitingBody = new Map<string, { height: number; round: number }>();
  /** The height the engine works on; 0 before the first start. */
  private engineHeight = 0;
  private nextHeightWaiter: { height: number; timer: NodeJS.Timeout | undefined } | null = null;
  private stopped = false;
  /** Whether the WAL may hold records of heights already committed (starts true: a restart may leave some). */
  private walHasRecords = true;
  private syncing = false;
  private canVote: boolean;
  /** Lets the loop run; called once the engine exists (or on stop). */
  private openLoop!: () => void;
  /** Synced blocks checked but not yet written, and the factory that checks the next one on top of them. */
  private readonly syncBatch: SyncBatch;
  private readonly syncBlocks: BlockFactory;
  private syncBatchTxs = 0;
  private syncFlushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ConsensusHostOptions,
    private readonly modules: ConsensusHostModules,
  ) {
    this.loop = new SerialQueue((err) =>
      modules.logger.error("consensus loop error", { err: String(err), stack: (err as Error).stack }),
    );
    this.canVote = options.secretKey !== undefined;
    this.syncBatch = new SyncBatch(modules.chain, modules.store);
    this.syncBlocks = new BlockFactory({
      chain: this.syncBatch,
      store: this.syncBatch,
      mempool: modules.mempool,
      evidence: modules.evidence,
    });
    // The network starts before the engine is built (a node with an empty store first asks its peers how
    // far they are), so inputs arriving meanwhile queue behind this gate instead of reaching no engine.
    const opened = new Promise<void>((resolve) => {
      this.openLoop = resolve;
    });
    this.loop.push(() => opened);
  }

  get height(): number {
    return this.engineHeight;
  }

  get round(): number {
    return this.engine?.snapshot().round ?? 0;
  }

  get isSyncing(): boolean {
    return this.syncing;
  }

  /** True when this node signs votes at the current height: it holds a key in this height's validator set. */
  get isVoting(): boolean {
    return this.canVote && this.currentSetHasKey;
  }

  private currentSetHasKey = false;

  /** Rebuilds the engine from the WAL of the next height (so it never signs twice), then starts it. */
  async start(options: { vote: boolean }): Promise<void> {
    this.canVote = options.vote && this.options.secretKey !== undefined;
    await this.recreateEngine();
    this.openLoop();
    this.scheduleNextHeight();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.nextHeightWaiter?.timer) clearTimeout(this.nextHeightWaiter.timer);
    this.openLoop();
    if (this.syncFlushTimer) clearTimeout(this.syncFlushTimer);
    // Let the job in flight (e.g. a commit) finish before the store closes; synced blocks already checked
    // are written rather than fetched again after the restart.
    await this.loop.run(() => this.flushSynced().catch((err) => this.syncWriteFailed(err)));
  }

  /** Lets a validator that was held back (e.g. after losing its store) vote from the next height on. */
  enableVoting(): void {
    if (this.canVote || this.options.secretKey === undefined) return;
    this.loop.push(async () => {
      this.canVote = true;
      await this.recreateEngine();
    });
  }

  private async recreateEngine(): Promise<void> {
    const { chain, store, logger } = this.modules;
    const next = chain.tip.height + 1;
    const replay = await store.readWal(next);
    if (replay.corrupt) logger.warn("consensus WAL has a torn or corrupt tail; ignoring it", { ...replay.corrupt });
    const records: WalRecord[] = [];
    for (const entry of replay.records) {
      try {
        records.push(decodeWalRecord(entry.data));
      } catch (err) {
        logger.warn("undecodable WAL record skipped", { height: entry.height, err: String(err) });
      }
    }
    const secretKey = this.options.secretKey;
    const signer: Signer | undefined =
      this.canVote && secretKey ? { publicKey: this.options.publicKey, sign: createSigner(secretKey) } : undefined;
    this.engine = createEngine(
      { chainId: chain.chainId, params: chain.genesis.consensusParams, ...(signer ? { signer } : {}) },
      records,
    );
    this.engineHeight = 0;
    if (records.length > 0) logger.info("consensus restored from WAL", { height: next, records: records.length });
  }

  // ---- inputs ----------------------------------------------------------------------------------------

  onConsensusMessage(msg: ConsensusMessage, from: PeerInfo): void {
    let event: EngineEvent;
    let height: number;
    try {
      if (msg.kind === ConsensusKind.PROPOSAL) {
        const proposal = decodeProposal(msg.payload);
        event = { type: "proposal", proposal };
        height = proposal.height;
      } else {
        const vote = decodeVote(msg.payload);
        event = { type: "vote", vote };
        height = vote.height;
      }
    } catch (err) {
      this.modules.network.reportInvalid(from, `undecodable consensus message: ${(err as Error).message}`);
      return;
    }
    // Another validator is already at the next height: start it now rather than wait for transactions.
    if (this.nextHeightWaiter && height >= this.nextHeightWaiter.height) this.startWaitingHeight();
    this.loop.push(() => this.apply(event));
  }

  onBlockBody(msg: BlockMessage): void {
    const tip = this.modules.chain.tip.height;
    if (msg.height <= tip || msg.height > tip + 2) return;
    const key = bytesToHex(msg.blockHash);
    if (this.prepared.has(key) || this.bodies.has(key)) return;
    if (this.bodies.size >= MAX_PENDING_BODIES) this.bodies.delete(this.bodies.keys().next().value as string);
    this.bodies.set(key, msg);
    const waiting = this.awaitingBody.get(key);
    if (waiting) {
      this.awaitingBody.delete(key);
      void this.validate(waiting.height, waiting.round, msg.blockHash);
    }
  }

  /** Transactions arrived: a height waiting for work starts now. */
  onTransactions(): void {
    if (this.nextHeightWaiter) this.startWaitingHeight();
  }

  private async apply(event: EngineEvent): Promise<void> {
    if (this.stopped) return;
    await this.run(this.engine.apply(event));
  }

  // ---- actions ---------------------------------------------------------------------------------------

  private async run(actions: EngineAction[]): Promise<void> {
    const { store, network, logger } = this.modules;
    for (const action of actions) {
      switch (action.type) {
        case ActionType.PERSIST: {
          const record = action.record;
          const height = record.kind === "vote" ? record.vote.height : record.proposal.height;
          await store.appendWal(height, encodeWalRecord(record));
          this.walHasRecords = true;
          break;
        }
        case ActionType.BROADCAST_PROPOSAL: {
          const { proposal } = action;
          const body = this.prepared.get(bytesToHex(proposal.blockHash));
          if (body) network.broadcastBlock(proposal.height, proposal.round, proposal.blockHash, body.bytes);
          network.broadcastConsensus({ kind: ConsensusKind.PROPOSAL, payload: encodeProposal(proposal) });
          const twin = body && this.modules.equivocator?.conflictingProposal(proposal, body);
          if (twin) {
            const { height, round, blockHash } = twin.proposal;
            network.broadcastBlock(height, round, blockHash, twin.blockBytes);
            network.broadcastConsensus({ kind: ConsensusKind.PROPOSAL, payload: encodeProposal(twin.proposal) });
          }
          break;
        }
        case ActionType.BROADCAST_VOTE: {
          network.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: encodeVote(action.vote) });
          const twin = this.modules.equivocator?.conflictingVote(action.vote);
          if (twin) network.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: encodeVote(twin) });
          break;
        }
        case ActionType.SCHEDULE_TIMEOUT: {
          const { height, round, step, durationMs } = action;
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            const fire = () => this.loop.push(() => this.apply({ type: "timeout", height, round, step }));
            // A proposal whose block is being executed right now is not late: firing timeout_propose would
            // prevote nil on a block that is about to be found valid, and big blocks would never commit.
            // Holding the timer is indistinguishable from a slower clock, so safety is untouched.
            const validation = this.validating.get(`${height}/${round}`);
            if (step === "propose" && validation) {
              void validation.then(fire);
              return;
            }
            if (step !== "rebroadcast") logger.debug("timeout", { height, round, step });
            fire();
          }, durationMs);
          this.timers.add(timer);
          this.modules.metrics?.consensusRound.set(round);
          break;
        }
        case ActionType.BUILD_BLOCK:
          void this.build(action.height, action.round);
          break;
        case ActionType.VALIDATE_BLOCK:
          void this.validate(action.height, action.round, action.blockHash);
          break;
        case ActionType.COMMIT:
          await this.commitDecided(action.height, action.blockHash, action.certificate);
          break;
        case ActionType.EVIDENCE: {
          const subject = evidenceSubject(action.evidence);
          const queued = this.modules.evidence.add(action.evidence);
          logger.warn("equivocation detected", {
            kind: action.evidence.kind,
            validator: bytesTo0x(subject.validator),
            height: subject.height,
            round: subject.round,
            step: subject.step,
            queued,
          });
          this.modules.metrics?.equivocationsTotal.inc();
          break;
        }
        case ActionType.REQUEST_SYNC:
          // The engine names the height more than 1/3 of the power has reached; the blocks below it are the
          // committed ones. Asking for `action.height` itself fails (no peer has it yet), which left a node
          // one block behind stuck at its height for good.
          this.syncTo(action.height - 1);
          break;
      }
    }
  }

  private async build(height: number, round: number): Promise<void> {
    try {
      const started = performance.now();
      const prepared = await this.modules.blocks.build(height, this.options.publicKey);
      this.modules.logger.debug("block built", {
        height,
        round,
        txs: prepared.txHashes.length,
        ms: Math.round(performance.now() - started),
      });
      this.prepared.set(bytesToHex(prepared.hash), prepared);
      this.loop.push(() => this.apply({ type: "proposal_value", height, round, blockHash: prepared.hash }));
    } catch (err) {
      // Block sync committed this height while the block was being built: there is nothing to propose.
      if (height <= this.modules.chain.tip.height) return;
      this.modules.logger.error("building a block failed", { height, round, err: String(err) });
    }
  }

  private async validate(height: number, round: number, blockHash: Uint8Array): Promise<void> {
    const key = bytesToHex(blockHash);
    if (this.prepared.has(key)) {
      this.loop.push(() => this.apply({ type: "block_validated", height, round, blockHash, valid: true }));
      return;
    }
    const body = this.bodies.get(key);
    if (!body) {
      this.awaitingBody.set(key, { height, round });
      return;
    }
    this.bodies.delete(key);
    let done!: () => void;
    this.validating.set(`${height}/${round}`, new Promise<void>((resolve) => (done = resolve)));
    let valid = true;
    try {
      const started = performance.now();
      const prepared = await this.modules.blocks.validate(body.block, { height, hash: blockHash });
      this.modules.logger.debug("block validated", {
        height,
        round,
        txs: prepared.txHashes.length,
        ms: Math.round(performance.now() - started),
      });
      this.prepared.set(key, prepared);
    } catch (err) {
      valid = false;
      this.modules.logger.warn("proposed block rejected", { height, round, err: String(err) });
    }
    this.loop.push(() => this.apply({ type: "block_validated", height, round, blockHash, valid }));
    this.validating.delete(`${height}/${round}`);
    done();
  }

  // ---- commits ---------------------------------------------------------------------------------------

  private async commitDecided(height: number, blockHash: Uint8Array, certificate: CommitCertificate): Promise<void> {
    // Synced blocks checked but not written yet come first: they may include this very height.
    await this.flushSynced();
    if (height !== this.modules.chain.tip.height + 1) return; // already committed through sync
    const prepared = this.prepared.get(bytesToHex(blockHash));
    if (!prepared) {
      // After a restart the engine trusts the block this node proposed or locked on before the crash (its
      // WAL says it was valid), but the body was only in memory. The peers that decided it commit it, so
      // fetch it from them, retrying until one has.
      this.modules.logger.warn("decided block not held since a restart; fetching it", { height });
      this.syncDecided(height);
      return;
    }
    await this.commit(prepared, certificate);
    this.scheduleNextHeight();
  }

  private syncDecided(height: number): void {
    if (this.stopped || this.modules.chain.tip.height >= height) return;
    this.syncTo(height);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.syncDecided(height);
    }, DECIDED_SYNC_RETRY_MS);
    this.timers.add(timer);
  }

  /** Writes one block durably (one synced batch) and moves every in-memory view forward. */
  private async commit(prepared: PreparedBlock, certificate: CommitCertificate): Promise<void> {
    const { store, chain, mempool } = this.modules;
    const height = prepared.block.header.height;
    const commit = blockCommit(prepared, encodeCommit(certificate));
    await store.commitBlock(commit);
    chain.advance(prepared.block, prepared.hash, certificate);
    this.dropCommitted(height);
    await mempool.update({ height, txHashes: prepared.txHashes, senders: prepared.senders });
    this.modules.evidence.remove(commit.evidence?.map((e) => e.id) ?? []);
    await this.pruneWal(height);
    this.modules.onCommitted(prepared, certificate);
  }

  /** Drops the blocks and bodies kept for heights up to `height`, now committed (right after the tip moves). */
  private dropCommitted(height: number): void {
    this.prepared.clear();
    for (const [key, body] of this.bodies) if (body.height <= height) this.bodies.delete(key);
    this.awaitingBody.clear();
  }

  private async pruneWal(height: number): Promise<void> {
    // Records of a committed height are never needed again. Clearing an empty range still scans LevelDB's
    // tombstones, so prune only after something was written (a synced block writes none).
    if (this.walHasRecords) {
      await this.modules.store.pruneWal(height + 1);
      this.walHasRecords = false;
    }
  }

  // ---- heights ---------------------------------------------------------------------------------------

  /**
   * Starts the next height when there is work: transactions waiting, a peer already at that height, or the
   * empty-block heartbeat due. Blocks are made when transactions wait, not on a fixed timer.
   */
  private scheduleNextHeight(): void {
    if (this.stopped || this.syncing) return;
    const { chain, mempool } = this.modules;
    const height = chain.tip.height + 1;
    if (this.engineHeight >= height) return;
    const params = chain.genesis.consensusParams;
    if (this.nextHeightWaiter?.timer) clearTimeout(this.nextHeightWaiter.timer);
    const heartbeat = params.emptyBlockIntervalMs;
    const dueIn = heartbeat > 0 ? Math.max(0, chain.tip.time + heartbeat - Date.now()) : undefined;
    const peerAhead = [...this.modules.network.peerHeights().values()].some((h) => h >= height);
    if (mempool.size > 0 || peerAhead || height === 1 || dueIn === 0) {
      this.nextHeightWaiter = { height, timer: undefined };
      this.startWaitingHeight(params.timeoutCommitMs);
      return;
    }
    const timer = dueIn === undefined ? undefined : setTimeout(() => this.startWaitingHeight(), dueIn);
    this.nextHeightWaiter = { height, timer };
  }

  private startWaitingHeight(delayMs = 0): void {
    const waiter = this.nextHeightWaiter;
    if (!waiter) return;
    this.nextHeightWaiter = null;
    if (waiter.timer) clearTimeout(waiter.timer);
    const start = () => this.loop.push(() => this.startHeight(waiter.height));
    if (delayMs > 0) setTimeout(start, delayMs);
    else start();
  }

  private async startHeight(height: number): Promise<void> {
    const { chain } = this.modules;
    if (this.stopped || height !== chain.tip.height + 1 || this.engineHeight >= height) return;
    this.engineHeight = height;
    const validators = await chain.validatorsAt(height);
    this.currentSetHasKey = validators.has(this.options.publicKey);
    this.modules.onHeightStarted?.(height, validators);
    this.modules.metrics?.height.set(chain.tip.height);
    await this.run(this.engine.apply({ type: "start_height", height, validators }));
  }

  // ---- sync ------------------------------------------------------------------------------------------

  /** Fetches and commits every block up to `target` from peers, verifying each certificate and execution. */
  syncTo(target: number): void {
    if (this.syncing || this.stopped || target <= this.modules.chain.tip.height) return;
    this.syncing = true;
    void this.runSync(target);
  }

  private async runSync(target: number): Promise<void> {
    const { chain, network, logger } = this.modules;
    const from = chain.tip.height + 1;
    logger.info("syncing", { from, to: target });
    try {
      for await (const _ of network.syncBlocks(from, target, (block, commit, height) =>
        this.loop.run(() => this.stageSynced(block, commit, height, target)),
      )) {
        if (this.stopped) break;
      }
      await this.loop.run(() => this.flushSynced());
      logger.info("synced", { height: chain.tip.height });
    } catch (err) {
      logger.warn("sync stopped", { err: String(err), height: chain.tip.height });
      // Blocks checked before the failure are valid: keep them.
      await this.loop.run(() => this.flushSynced().catch((e) => this.syncWriteFailed(e)));
    } finally {
      this.syncing = false;
      this.scheduleNextHeight();
    }
  }

  /**
   * Checks one synced block on top of the blocks staged before it (certificate, then `validate`: links,
   * signatures, execution) and stages it; the batch is written once full, at the target, or when no block
   * followed for a moment. A block that fails here throws, so the sync client bans the peer that served it.
   */
  private async stageSynced(blockBytes: Uint8Array, commitBytes: Uint8Array, height: number, target: number) {
    const batch = this.syncBatch;
    if (height <= batch.tip.height) return;
    // The certificate names the block it commits; `validate` then checks the body hashes to exactly that,
    // so the block is decoded once. The next block's lastCommit is this same certificate in the common case,
    // and `validate` skips verifying it again when it matches the staged tip's.
    const certificate = decodeCommit(commitBytes);
    const hash = certificate.blockHash;
    verifyCommit(batch.chainId, await batch.validatorsAt(height), certificate, { height, blockHash: hash });
    const prepared = await this.syncBlocks.validate(blockBytes, { height, hash });
    batch.add({ prepared, certificate, commitBytes });
    this.syncBatchTxs += prepared.txHashes.length;
    if (this.syncFlushTimer) clearTimeout(this.syncFlushTimer);
    this.syncFlushTimer = undefined;
    if (batch.size >= SYNC_COMMIT_BLOCKS || this.syncBatchTxs >= SYNC_COMMIT_TXS || height >= target) {
      await this.flushSynced();
      return;
    }
    this.syncFlushTimer = setTimeout(() => {
      this.syncFlushTimer = undefined;
      this.loop.push(() => this.flushSynced().catch((err) => this.syncWriteFailed(err)));
    }, SYNC_IDLE_FLUSH_MS);
  }

  /** Writes the staged synced blocks in one synced batch, then moves every in-memory view forward. */
  private async flushSynced(): Promise<void> {
    const batch = this.syncBatch;
    if (batch.size === 0) return;
    if (this.syncFlushTimer) clearTimeout(this.syncFlushTimer);
    this.syncFlushTimer = undefined;
    const { store, chain, mempool } = this.modules;
    const staged = [...batch.blocks];
    const tip = batch.tip;
    const commits = batch.commits();
    batch.clear();
    this.syncBatchTxs = 0;
    await store.commitBlocks(commits);
    for (const { prepared, certificate, commitHash } of staged) {
      chain.advance(prepared.block, prepared.hash, certificate, commitHash);
    }
    this.dropCommitted(tip.height);
    for (const { prepared } of staged) {
      const height = prepared.block.header.height;
      await mempool.update({ height, txHashes: prepared.txHashes, senders: prepared.senders });
    }
    this.modules.evidence.remove(commits.flatMap((c) => c.evidence?.map((e) => e.id) ?? []));
    await this.pruneWal(tip.height);
    for (const { prepared, certificate } of staged) this.modules.onCommitted(prepared, certificate);
  }

  private syncWriteFailed(err: unknown): void {
    this.modules.logger.error("writing synced blocks failed", {
      err: String(err),
      height: this.modules.chain.tip.height,
    });
  }
}
