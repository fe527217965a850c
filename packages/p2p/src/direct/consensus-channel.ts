import type { Libp2p, PeerId } from "@libp2p/interface";
import { PeerBuckets } from "../gossip/token-bucket.js";
import type { Handlers } from "../handlers.js";
import type { NetworkLimits } from "../limits.js";
import type { PeerBook } from "../peers/peer-book.js";
import type { ConsensusMessage, Logger, PeerInfo } from "../types.js";
import { decodeConsensusFrame, decodeStatus, encodeConsensusFrame, encodeStatus, FrameKind } from "../wire/codecs.js";
import { handleInbound, ProtocolViolation } from "./inbound.js";
import { OutboundStreams } from "./outbound.js";

export interface ConsensusChannelDeps {
  libp2p: Libp2p;
  protocol: string;
  limits: NetworkLimits;
  peerBook: PeerBook;
  logger: Logger;
  handlers: Handlers<[msg: ConsensusMessage, from: PeerInfo]>;
  peerInfo(peerId: PeerId): PeerInfo;
  penalize(peerId: string, points: number, reason: string): void;
  ownHeight(): number;
  onStatus(height: number, from: PeerInfo): void;
}

/**
 * Proposals, votes and status go straight to every connected peer on one long-lived stream each: one hop,
 * no gossip validation queue, no per-message signature. Validators keep a full mesh (every validator lists
 * the others as peers), so every validator hears every vote from its author.
 */
export class ConsensusChannel {
  private readonly out: OutboundStreams;
  private readonly buckets: PeerBuckets;

  constructor(private readonly deps: ConsensusChannelDeps) {
    this.buckets = new PeerBuckets(deps.limits.consensusMsgsPerSecondPerPeer);
    this.out = new OutboundStreams(
      deps.libp2p,
      {
        protocol: deps.protocol,
        maxQueuedBytes: deps.limits.maxQueuedBytesPerPeer,
        // Every new stream opens with our height, so a peer always knows it even after a reconnect.
        greeting: () => [this.statusFrame()],
        onSent: (peerId, bytes) => deps.peerBook.sent(peerId, bytes),
      },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    const { limits } = this.deps;
    await handleInbound(
      this.deps.libp2p,
      {
        protocol: this.deps.protocol,
        maxFrameBytes: limits.maxConsensusMessageBytes + 64,
        onFrame: (frame, connection) => this.receive(frame, connection.remotePeer),
        onViolation: (peerId, reason) => this.deps.penalize(peerId, limits.invalidPenalty, reason),
      },
      this.deps.logger,
    );
  }

  broadcast(msg: ConsensusMessage): void {
    if (msg.kind !== FrameKind.PROPOSAL && msg.kind !== FrameKind.VOTE) {
      throw new RangeError(`"msg.kind" expected "proposal" or "vote", got ${String(msg.kind)}`);
    }
    if (!(msg.payload instanceof Uint8Array) || msg.payload.length > this.deps.limits.maxConsensusMessageBytes) {
      throw new RangeError(`"msg.payload" expected at most ${this.deps.limits.maxConsensusMessageBytes} bytes`);
    }
    const frame = encodeConsensusFrame({ kind: msg.kind, payload: msg.payload });
    for (const peer of this.deps.libp2p.getPeers()) this.out.send(peer, [frame]);
  }

  announceStatus(): void {
    const frame = this.statusFrame();
    for (const peer of this.deps.libp2p.getPeers()) this.out.send(peer, [frame]);
  }

  /** Opens the stream to a newly connected peer, which also tells it our height. */
  greet(peer: PeerId): void {
    this.out.send(peer, []);
  }

  disconnected(peerId: string): void {
    this.out.drop(peerId);
    this.buckets.forget(peerId);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  private statusFrame(): Uint8Array {
    return encodeConsensusFrame({ kind: FrameKind.STATUS, payload: encodeStatus(this.deps.ownHeight()) });
  }

  private async receive(frame: Uint8Array, remote: PeerId): Promise<void> {
    const peerId = remote.toString();
    this.deps.peerBook.received(peerId, frame.length);
    if (!this.buckets.take(peerId)) {
      this.deps.penalize(peerId, this.deps.limits.rateLimitPenalty, "consensus rate limit");
      return;
    }
    let decoded: ReturnType<typeof decodeConsensusFrame>;
    try {
      decoded = decodeConsensusFrame(frame, this.deps.limits.maxConsensusMessageBytes);
    } catch (err) {
      throw new ProtocolViolation(`malformed consensus frame: ${(err as Error).message}`);
    }
    const from = this.deps.peerInfo(remote);
    if (decoded.kind === FrameKind.STATUS) {
      let height: number;
      try {
        height = decodeStatus(decoded.payload);
      } catch (err) {
        throw new ProtocolViolation(`malformed status: ${(err as Error).message}`);
      }
      this.deps.onStatus(height, from);
      return;
    }
    await this.deps.handlers.emit({ kind: decoded.kind, payload: decoded.payload }, from);
  }
}
