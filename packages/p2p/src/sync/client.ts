import type { Libp2p, PeerId } from "@libp2p/interface";
import { P2pError } from "../errors.js";
import type { NetworkLimits } from "../limits.js";
import type { PeerBook } from "../peers/peer-book.js";
import type { Logger, PeerInfo, SyncedBlock, VerifyBlock } from "../types.js";
import type { SyncItem } from "../wire/codecs.js";
import { BadSyncResponse, fetchRange } from "./fetch-range.js";

export interface SyncClientDeps {
  libp2p: Libp2p;
  protocol: string;
  limits: NetworkLimits;
  peerBook: PeerBook;
  logger: Logger;
  peerInfo(peerId: PeerId): PeerInfo;
  penalize(peerId: string, points: number, reason: string): void;
  /** Drops and bans a peer that served a block failing verification. */
  ban(peerId: string, reason: string): void;
}

type Fetched = { items: SyncItem[]; peer: PeerId } | { error: Error };

interface Range {
  from: number;
  to: number;
}

/**
 * Block sync: the range is cut into batches of `syncBatchBlocks`, up to `syncParallelRequests` batches are in
 * flight at once on the least busy peers that announced the heights, and items are verified and yielded
 * strictly in height order. A batch whose fetch fails is retried on another peer; a block that fails
 * verification bans the peer that served it and is fetched again elsewhere.
 */
export class SyncClient {
  private readonly busy = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly deps: SyncClientDeps) {}

  /** Wakes batches waiting for a peer with their heights. */
  heightAnnounced(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  async *sync(from: number, to: number, verify: VerifyBlock): AsyncGenerator<SyncedBlock> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from) {
      throw new RangeError(`"from".."to" expected 1 <= from <= to, got ${from}..${to}`);
    }
    const { syncBatchBlocks, syncParallelRequests } = this.deps.limits;
    const batches: Range[] = [];
    for (let start = from; start <= to; start += syncBatchBlocks) {
      batches.push({ from: start, to: Math.min(to, start + syncBatchBlocks - 1) });
    }
    const abort = new AbortController();
    const inflight: Promise<Fetched>[] = [];
    try {
      for (let cur = 0; cur < batches.length; cur++) {
        while (inflight.length < batches.length && inflight.length < cur + syncParallelRequests) {
          inflight.push(this.fetchBatch(batches[inflight.length] as Range, new Set(), abort.signal));
        }
        const batch = batches[cur] as Range;
        let result = await (inflight[cur] as Promise<Fetched>);
        let height = batch.from;
        const excluded = new Set<string>();
        while (height <= batch.to) {
          if ("error" in result) throw result.error;
          const { items, peer } = result;
          let rejected = false;
          for (const item of items) {
            try {
              await verify(item.block, item.commit, item.height);
            } catch (err) {
              const reason = `block ${item.height} failed verification: ${(err as Error).message}`;
              this.deps.ban(peer.toString(), reason);
              excluded.add(peer.toString());
              rejected = true;
              break;
            }
            yield { height: item.height, block: item.block, commit: item.commit, from: this.deps.peerInfo(peer) };
            height = item.height + 1;
          }
          if (rejected || height <= batch.to) {
            result = await this.fetchBatch({ from: height, to: batch.to }, excluded, abort.signal);
          }
        }
        inflight[cur] = Promise.resolve({ error: new Error("consumed") });
      }
    } finally {
      abort.abort(new Error("sync finished"));
    }
  }

  /** Fetches a whole range, retrying on other peers; never rejects, so an unawaited batch cannot crash. */
  private async fetchBatch(range: Range, excluded: Set<string>, signal: AbortSignal): Promise<Fetched> {
    const { syncMaxAttempts, syncRequestTimeoutMs } = this.deps.limits;
    const items: SyncItem[] = [];
    let attempts = 0;
    let lastPeer: PeerId | undefined;
    while (items.length < range.to - range.from + 1) {
      if (signal.aborted) return { error: new Error("sync aborted") };
      if (attempts >= syncMaxAttempts) {
        return {
          error: new P2pError(
            { code: "P2P_SYNC_FAILED", from: range.from, to: range.to, attempts },
            `could not fetch blocks ${range.from}..${range.to} after ${attempts} attempts`,
          ),
        };
      }
      const start = range.from + items.length;
      const peer = await this.pickPeer(range.to, excluded, signal);
      if (!peer) {
        return {
          error: new P2pError(
            { code: "P2P_SYNC_NO_PEER", from: start, to: range.to },
            `no connected peer has blocks up to ${range.to}`,
          ),
        };
      }
      // Items from one peer only: the consumer bans the server of a bad block, so it must know which it was.
      if (lastPeer && !lastPeer.equals(peer)) items.length = 0;
      lastPeer = peer;
      const key = peer.toString();
      attempts++;
      try {
        const got = await fetchRange(peer, range.from + items.length, range.to, {
          libp2p: this.deps.libp2p,
          protocol: this.deps.protocol,
          peerBook: this.deps.peerBook,
          timeoutMs: syncRequestTimeoutMs,
          signal,
        });
        if (got.length === 0) {
          excluded.add(key);
          this.deps.logger.info("sync peer returned nothing", { peerId: key, from: start, to: range.to });
        }
        items.push(...got);
      } catch (err) {
        excluded.add(key);
        if (err instanceof BadSyncResponse) {
          this.deps.penalize(key, this.deps.limits.invalidPenalty, err.message);
        } else if (!signal.aborted) {
          this.deps.logger.info("sync request failed", { peerId: key, from: start, to: range.to, error: String(err) });
        }
      } finally {
        this.busy.set(key, (this.busy.get(key) ?? 1) - 1);
      }
    }
    return { items, peer: lastPeer as PeerId };
  }

  /**
   * The least busy connected peer that announced `minHeight`, waiting up to `syncPeerWaitMs` for one. The
   * caller owes a `busy` decrement for the peer returned.
   */
  private async pickPeer(minHeight: number, excluded: Set<string>, signal: AbortSignal): Promise<PeerId | undefined> {
    const deadline = Date.now() + this.deps.limits.syncPeerWaitMs;
    while (!signal.aborted) {
      const candidates = this.deps.libp2p
        .getPeers()
        .filter((p) => !excluded.has(p.toString()) && !this.deps.peerBook.isBanned(p.toString()))
        .filter((p) => this.deps.peerBook.get(p.toString()).height >= minHeight)
        .sort((a, b) => (this.busy.get(a.toString()) ?? 0) - (this.busy.get(b.toString()) ?? 0));
      const best = candidates[0];
      if (best) {
        // Reserved before any await, so batches launched together spread over the peers.
        this.busy.set(best.toString(), (this.busy.get(best.toString()) ?? 0) + 1);
        return best;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      // Woken by the next status from any peer; the timer re-checks connections that came and went.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 500));
        this.waiters.add(done);
      });
    }
    return undefined;
  }
}
