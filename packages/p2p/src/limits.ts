import { MAX_BLOCK_BYTES, MAX_TRANSACTION_BYTES } from "@hansa/core";

/**
 * Every bound the network enforces. Defaults suit a consortium of up to a few dozen validators; a node may
 * tighten them (tests shorten the timers).
 */
export interface NetworkLimits {
  /** Largest encoded transaction batch in one gossip message. */
  maxTxBatchBytes: number;
  /** Most transactions in one gossip message. */
  maxTxBatchTxs: number;
  /** How long `broadcastTxs` waits for more transactions before publishing a partial batch. */
  txBatchDelayMs: number;
  /** Transaction hashes remembered for de-duplication (at most; at least the latest half). */
  txSeenCacheSize: number;
  /** Gossip messages per second accepted from one peer (token bucket rate; the burst is twice that). */
  txMsgsPerSecondPerPeer: number;
  /** Gossip bytes per second accepted from one peer (token bucket rate; the burst is twice that). */
  txBytesPerSecondPerPeer: number;
  /** Largest proposal or vote payload carried in a consensus envelope. */
  maxConsensusMessageBytes: number;
  /** Consensus frames per second accepted from one peer (the burst is twice that). */
  consensusMsgsPerSecondPerPeer: number;
  /** Largest block body sent by `broadcastBlock` or served by sync. */
  maxBlockBytes: number;
  /** Size of one block part on the block protocol. */
  blockPartBytes: number;
  /** Heights asked for in one sync request. */
  syncBatchBlocks: number;
  /** Sync requests in flight at once (spread over the peers that have the range). */
  syncParallelRequests: number;
  /** A server stops a sync response after this many bytes; the client asks again for the rest. */
  syncMaxResponseBytes: number;
  /** How long a sync request may take before the client tries another peer. */
  syncRequestTimeoutMs: number;
  /** How long `syncBlocks` waits for a peer that has the range before giving up. */
  syncPeerWaitMs: number;
  /** Attempts per sync batch before `syncBlocks` gives up. */
  syncMaxAttempts: number;
  /** How often the node's own height is checked and, when it changed, announced to peers. */
  statusIntervalMs: number;
  /** Score points lost per `reportInvalid` or malformed message. */
  invalidPenalty: number;
  /** Score points lost when a peer exceeds a rate limit. */
  rateLimitPenalty: number;
  /** At or below this score a peer is disconnected and banned. */
  banScore: number;
  /** How long a ban lasts; the score starts again at zero after it. */
  banDurationMs: number;
  /** First redial delay after a configured peer disconnects or a dial fails. */
  reconnectInitialDelayMs: number;
  /** Largest redial delay; the delay doubles after each failure up to this. */
  reconnectMaxDelayMs: number;
  /** Inbound connection attempts per second accepted from one host before libp2p refuses more. */
  inboundConnectionsPerSecond: number;
  /** Bytes queued for one peer on one direct stream before further messages to it are dropped. */
  maxQueuedBytesPerPeer: number;
}

export const DEFAULT_LIMITS: Readonly<NetworkLimits> = Object.freeze({
  // One batch fits comfortably under gossipsub's 4 MiB inbound cap and still carries ~14 maximal txs or
  // thousands of typical ones: at ~0.5 ms of CPU per gossip message, batching is what gives throughput.
  maxTxBatchBytes: 1024 * 1024,
  maxTxBatchTxs: 4096,
  txBatchDelayMs: 10,
  txSeenCacheSize: 50_000,
  txMsgsPerSecondPerPeer: 200,
  txBytesPerSecondPerPeer: 32 * 1024 * 1024,
  maxConsensusMessageBytes: 64 * 1024,
  consensusMsgsPerSecondPerPeer: 2_000,
  maxBlockBytes: MAX_BLOCK_BYTES,
  blockPartBytes: 256 * 1024,
  syncBatchBlocks: 50,
  syncParallelRequests: 4,
  syncMaxResponseBytes: 32 * 1024 * 1024,
  syncRequestTimeoutMs: 20_000,
  syncPeerWaitMs: 10_000,
  syncMaxAttempts: 8,
  statusIntervalMs: 1_000,
  invalidPenalty: 25,
  rateLimitPenalty: 1,
  banScore: -100,
  banDurationMs: 10 * 60_000,
  reconnectInitialDelayMs: 250,
  reconnectMaxDelayMs: 10_000,
  inboundConnectionsPerSecond: 20,
  maxQueuedBytesPerPeer: 64 * 1024 * 1024,
});

/** Gossip never carries a transaction larger than the wire format allows. */
export const MAX_GOSSIP_TX_BYTES = MAX_TRANSACTION_BYTES;

export function resolveLimits(overrides: Partial<NetworkLimits> | undefined): NetworkLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (key === "banScore") continue;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`"limits.${key}" expected a non-negative number`);
  }
  if (limits.maxBlockBytes > MAX_BLOCK_BYTES) {
    throw new RangeError(`"limits.maxBlockBytes" may not exceed ${MAX_BLOCK_BYTES}`);
  }
  if (limits.blockPartBytes < 1024) throw new RangeError(`"limits.blockPartBytes" expected at least 1024`);
  return limits;
}
