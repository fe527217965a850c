import type { Libp2p, PeerId, Stream } from "@libp2p/interface";
import type { Logger } from "../types.js";
import { sendFrame } from "../wire/frames.js";

interface Channel {
  stream: Stream | undefined;
  /** Tail of this peer's send queue: frames leave in the order they were given. */
  tail: Promise<void>;
  queuedBytes: number;
}

export interface OutboundOptions {
  protocol: string;
  maxQueuedBytes: number;
  /** Frames to write first on every newly opened stream (the consensus stream opens with a status). */
  greeting?: () => Uint8Array[];
  onSent?: (peerId: string, bytes: number) => void;
}

const OPEN_TIMEOUT_MS = 10_000;

/**
 * One long-lived outbound stream per peer for one protocol, opened on first use and reopened after it
 * closes. Keeping the stream open spares every vote a protocol negotiation round trip; writing each
 * protocol on its own stream lets yamux interleave a multi-megabyte block with the votes behind it.
 */
export class OutboundStreams {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly libp2p: Libp2p,
    private readonly options: OutboundOptions,
    private readonly logger: Logger,
  ) {}

  /** Queues frames for one peer; drops them (and says so) when that peer is too far behind. */
  send(peerId: PeerId, frames: Uint8Array[]): void {
    const key = peerId.toString();
    let channel = this.channels.get(key);
    if (!channel) {
      channel = { stream: undefined, tail: Promise.resolve(), queuedBytes: 0 };
      this.channels.set(key, channel);
    }
    const size = frames.reduce((n, f) => n + f.length, 0);
    if (channel.queuedBytes + size > this.options.maxQueuedBytes) {
      this.logger.warn("peer send queue full, dropping message", {
        peerId: key,
        protocol: this.options.protocol,
        queuedBytes: channel.queuedBytes,
      });
      return;
    }
    channel.queuedBytes += size;
    const ch = channel;
    ch.tail = ch.tail.then(async () => {
      try {
        const stream = await this.open(peerId, ch);
        for (const frame of frames) {
          await sendFrame(stream, frame);
          this.options.onSent?.(key, frame.length);
        }
      } catch (err) {
        this.logger.debug("send failed", { peerId: key, protocol: this.options.protocol, error: String(err) });
        ch.stream?.abort(err as Error);
        ch.stream = undefined;
      } finally {
        ch.queuedBytes -= size;
      }
    });
  }

  /** Forgets a disconnected peer's stream. */
  drop(peerId: string): void {
    const channel = this.channels.get(peerId);
    if (channel && channel.queuedBytes === 0) this.channels.delete(peerId);
  }

  /** Waits until every queued frame has been handed to the transport (or failed). */
  async flush(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.tail));
  }

  private async open(peerId: PeerId, channel: Channel): Promise<Stream> {
    const current = channel.stream;
    if (current && current.status === "open" && current.writeStatus === "writable") return current;
    const stream = await this.libp2p.dialProtocol(peerId, this.options.protocol, {
      signal: AbortSignal.timeout(OPEN_TIMEOUT_MS),
    });
    stream.addEventListener("close", () => {
      if (channel.stream === stream) channel.stream = undefined;
    });
    channel.stream = stream;
    for (const frame of this.options.greeting?.() ?? []) {
      await sendFrame(stream, frame);
      this.options.onSent?.(peerId.toString(), frame.length);
    }
    return stream;
  }
}
