import type { NetworkLimits } from "../limits.js";

/** Traffic and reputation of one peer, kept across reconnects for as long as the node runs. */
export interface PeerRecord {
  bytesIn: number;
  bytesOut: number;
  msgsIn: number;
  msgsOut: number;
  score: number;
  height: number;
  bannedUntil: number;
  /** How many times the node reported this peer's data invalid; gossip compares it around a delivery. */
  invalidReports: number;
}

/**
 * Per-peer counters, scores and bans. A score only goes down (invalid data, rate limits); reaching
 * `banScore` bans the peer for `banDurationMs`, after which it starts again at zero. Honest peers never lose
 * points, so there is nothing to decay.
 */
export class PeerBook {
  private readonly records = new Map<string, PeerRecord>();

  constructor(
    private readonly limits: Pick<NetworkLimits, "banScore" | "banDurationMs">,
    private readonly now: () => number = Date.now,
  ) {}

  get(peerId: string): PeerRecord {
    let record = this.records.get(peerId);
    if (!record) {
      record = {
        bytesIn: 0,
        bytesOut: 0,
        msgsIn: 0,
        msgsOut: 0,
        score: 0,
        height: -1,
        bannedUntil: 0,
        invalidReports: 0,
      };
      this.records.set(peerId, record);
    }
    return record;
  }

  received(peerId: string, bytes: number): void {
    const r = this.get(peerId);
    r.bytesIn += bytes;
    r.msgsIn += 1;
  }

  sent(peerId: string, bytes: number): void {
    const r = this.get(peerId);
    r.bytesOut += bytes;
    r.msgsOut += 1;
  }

  /** Lowers the score; returns true when this penalty got the peer banned. */
  penalize(peerId: string, points: number): boolean {
    const r = this.get(peerId);
    if (this.isBanned(peerId)) return false;
    r.score -= points;
    if (r.score > this.limits.banScore) return false;
    r.bannedUntil = this.now() + this.limits.banDurationMs;
    return true;
  }

  /** Bans at once, whatever the score: for proven misbehaviour such as a forged certificate. */
  ban(peerId: string): boolean {
    if (this.isBanned(peerId)) return false;
    const r = this.get(peerId);
    r.score = Math.min(r.score, this.limits.banScore);
    r.bannedUntil = this.now() + this.limits.banDurationMs;
    return true;
  }

  isBanned(peerId: string): boolean {
    const r = this.records.get(peerId);
    if (!r || r.bannedUntil === 0) return false;
    if (this.now() < r.bannedUntil) return true;
    r.bannedUntil = 0;
    r.score = 0;
    return false;
  }
}
