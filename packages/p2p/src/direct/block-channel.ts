import type { Libp2p, PeerId } from "@libp2p/interface";
import type { Handlers } from "../handlers.js";
import type { NetworkLimits } from "../limits.js";
import type { PeerBook } from "../peers/peer-book.js";
import type { BlockMessage, Logger, PeerInfo } from "../types.js";
import { decodeBlockPart, encodeBlockPart, MAX_BLOCK_PART_BYTES } from "../wire/codecs.js";
import { BlockAssembler, splitBlock } from "./block-parts.js";
import { handleInbound, ProtocolViolation } from "./inbound.js";
import { OutboundStreams } from "./outbound.js";

export interface BlockChannelDeps {
  libp2p: Libp2p;
  protocol: string;
  limits: NetworkLimits;
  peerBook: PeerBook;
  logger: Logger;
  handlers: Handlers<[msg: BlockMessage, from: PeerInfo]>;
  peerInfo(peerId: PeerId): PeerInfo;
  penalize(peerId: string, points: number, reason: string): void;
}

/**
 * Proposal block bodies, sent whole to every connected peer in parts on a stream of their own, so a
 * multi-megabyte body never queues the votes on the consensus stream behind it.
 */
export class BlockChannel {
  private readonly out: OutboundStreams;
  private readonly assemblers = new WeakMap<object, BlockAssembler>();

  constructor(private readonly deps: BlockChannelDeps) {
    this.out = new OutboundStreams(
      deps.libp2p,
      {
        protocol: deps.protocol,
        maxQueuedBytes: deps.limits.maxQueuedBytesPerPeer,
        onSent: (peerId, bytes) => deps.peerBook.sent(peerId, bytes),
      },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    await handleInbound(
      this.deps.libp2p,
      {
        protocol: this.deps.protocol,
        maxFrameBytes: MAX_BLOCK_PART_BYTES + 128,
        onFrame: (frame, connection, stream) => this.receive(frame, connection.remotePeer, stream),
        onViolation: (peerId, reason) => this.deps.penalize(peerId, this.deps.limits.invalidPenalty, reason),
      },
      this.deps.logger,
    );
  }

  broadcast(msg: BlockMessage): void {
    const { maxBlockBytes, blockPartBytes } = this.deps.limits;
    if (!(msg.block instanceof Uint8Array) || msg.block.length > maxBlockBytes) {
      throw new RangeError(`"block" expected at most ${maxBlockBytes} bytes, got ${msg.block?.length}`);
    }
    if (!(msg.blockHash instanceof Uint8Array) || msg.blockHash.length !== 32) {
      throw new TypeError(`"blockHash" expected 32 bytes, got ${msg.blockHash?.length}`);
    }
    const frames = splitBlock(msg, Math.min(blockPartBytes, MAX_BLOCK_PART_BYTES)).map(encodeBlockPart);
    for (const peer of this.deps.libp2p.getPeers()) this.out.send(peer, frames);
  }

  disconnected(peerId: string): void {
    this.out.drop(peerId);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  private async receive(frame: Uint8Array, remote: PeerId, stream: object): Promise<void> {
    const peerId = remote.toString();
    this.deps.peerBook.received(peerId, frame.length);
    let part: ReturnType<typeof decodeBlockPart>;
    try {
      part = decodeBlockPart(frame);
    } catch (err) {
      throw new ProtocolViolation(`malformed block part: ${(err as Error).message}`);
    }
    let assembler = this.assemblers.get(stream);
    if (!assembler) {
      assembler = new BlockAssembler(this.deps.limits.maxBlockBytes);
      this.assemblers.set(stream, assembler);
    }
    const result = assembler.push(part);
    if ("error" in result) throw new ProtocolViolation(result.error);
    if ("more" in result) return;
    await this.deps.handlers.emit(result.done, this.deps.peerInfo(remote));
  }
}
