import { sha256Key } from "@hansa/core";
import { type GossipSub, type Message, TopicValidatorResult } from "@libp2p/gossipsub";
import type { PeerId } from "@libp2p/interface";
import type { Handlers } from "../handlers.js";
import { MAX_GOSSIP_TX_BYTES, type NetworkLimits } from "../limits.js";
import type { PeerBook } from "../peers/peer-book.js";
import type { Logger, PeerInfo } from "../types.js";
import { decodeTxBatch, encodeTxBatch } from "../wire/codecs.js";
import { SeenCache } from "./seen-cache.js";
import { PeerBuckets } from "./token-bucket.js";

export interface TxGossipDeps {
  pubsub: GossipSub;
  topic: string;
  limits: NetworkLimits;
  peerBook: PeerBook;
  logger: Logger;
  handlers: Handlers<[txs: Uint8Array[], from: PeerInfo]>;
  peerInfo(peerId: PeerId): PeerInfo;
  /** Scores a peer down (and bans it past the threshold). */
  penalize(peerId: string, points: number, reason: string): void;
}

/** CBOR header bytes a transaction adds inside a batch, at most. */
const TX_OVERHEAD = 5;
const BATCH_OVERHEAD = 16;

/**
 * Transaction gossip over one gossipsub topic. Transactions leave in batches (one gossip message costs about
 * as much CPU whatever it carries), each transaction is delivered to the node once, and a batch is
 * forwarded only once the node's handlers accepted it.
 */
export class TxGossip {
  private readonly seen: SeenCache;
  private readonly msgBuckets: PeerBuckets;
  private readonly byteBuckets: PeerBuckets;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: TxGossipDeps) {
    this.seen = new SeenCache(deps.limits.txSeenCacheSize);
    this.msgBuckets = new PeerBuckets(deps.limits.txMsgsPerSecondPerPeer);
    this.byteBuckets = new PeerBuckets(deps.limits.txBytesPerSecondPerPeer);
  }

  start(): void {
    this.deps.pubsub.topicValidators.set(this.deps.topic, (from, msg) => this.validate(from, msg));
    this.deps.pubsub.subscribe(this.deps.topic);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    await this.publishing;
    this.deps.pubsub.topicValidators.delete(this.deps.topic);
  }

  broadcast(txs: Uint8Array[]): void {
    const { maxTxBatchBytes, maxTxBatchTxs, txBatchDelayMs } = this.deps.limits;
    // All checked before any is queued, so a bad call queues nothing.
    txs.forEach((tx, i) => {
      if (!(tx instanceof Uint8Array) || tx.length === 0 || tx.length > MAX_GOSSIP_TX_BYTES) {
        throw new RangeError(`"txs[${i}]" expected 1 to ${MAX_GOSSIP_TX_BYTES} bytes, got ${tx?.length}`);
      }
    });
    for (const tx of txs) {
      if (!this.seen.add(txKey(tx))) continue;
      if (this.pendingBytes + tx.length + TX_OVERHEAD + BATCH_OVERHEAD > maxTxBatchBytes) this.publishPending();
      this.pending.push(tx);
      this.pendingBytes += tx.length + TX_OVERHEAD;
      if (this.pending.length >= maxTxBatchTxs) this.publishPending();
    }
    if (this.pending.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.publishPending(), txBatchDelayMs);
    }
  }

  /** Publishes what is queued and waits for every publish so far. */
  async flush(): Promise<void> {
    this.publishPending();
    await this.publishing;
  }

  private publishPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const data = encodeTxBatch(this.pending);
    const count = this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.publishing = this.publishing.then(async () => {
      try {
        const { recipients } = await this.deps.pubsub.publish(this.deps.topic, data);
        for (const peer of recipients) this.deps.peerBook.sent(peer.toString(), data.length);
        this.deps.logger.debug("tx batch published", { txs: count, bytes: data.length, peers: recipients.length });
      } catch (err) {
        this.deps.logger.warn("tx batch publish failed", { txs: count, error: String(err) });
      }
    });
  }

  private async validate(from: PeerId, msg: Message): Promise<TopicValidatorResult> {
    const peerId = from.toString();
    const { limits, peerBook } = this.deps;
    peerBook.received(peerId, msg.data.length);
    if (!this.msgBuckets.take(peerId) || !this.byteBuckets.take(peerId, msg.data.length)) {
      this.deps.penalize(peerId, limits.rateLimitPenalty, "tx gossip rate limit");
      return TopicValidatorResult.Ignore;
    }
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(msg.data, limits.maxTxBatchBytes);
    } catch (err) {
      this.deps.penalize(peerId, limits.invalidPenalty, `malformed tx batch: ${(err as Error).message}`);
      return TopicValidatorResult.Reject;
    }
    const fresh = txs.filter((tx) => this.seen.add(txKey(tx)));
    // Nothing new: do not forward; whoever sent it to us already reached our other peers or will.
    if (fresh.length === 0) return TopicValidatorResult.Ignore;
    const before = peerBook.get(peerId).invalidReports;
    const info = this.deps.peerInfo(from);
    await this.deps.handlers.emit(fresh, info);
    return peerBook.get(peerId).invalidReports > before ? TopicValidatorResult.Reject : TopicValidatorResult.Accept;
  }
}

/** The transaction's hash as a map key (one latin1 character per byte, half the size of hex). */
function txKey(tx: Uint8Array): string {
  return sha256Key(tx);
}
