import type { Connection, Libp2p, Stream } from "@libp2p/interface";
import type { Logger } from "../types.js";
import { isFrameLengthError, readFrames } from "../wire/frames.js";

/** Thrown by a frame handler when the peer broke the protocol: the stream is reset and the peer scored down. */
export class ProtocolViolation extends Error {
  override name = "ProtocolViolation";
}

export interface InboundOptions {
  protocol: string;
  maxFrameBytes: number;
  /** Handles one frame; frames of one stream are handled one at a time, in order. */
  onFrame(frame: Uint8Array, connection: Connection, stream: Stream): Promise<void> | void;
  onViolation(peerId: string, reason: string): void;
}

/**
 * Reads length-prefixed frames from every inbound stream of one protocol. The remote only writes on these
 * streams; when it closes its end, we close ours.
 */
export async function handleInbound(libp2p: Libp2p, options: InboundOptions, logger: Logger): Promise<void> {
  await libp2p.handle(
    options.protocol,
    (stream: Stream, connection: Connection) => {
      void readLoop(stream, connection, options, logger);
    },
    { maxInboundStreams: 4 },
  );
}

async function readLoop(stream: Stream, connection: Connection, options: InboundOptions, logger: Logger) {
  const peerId = connection.remotePeer.toString();
  try {
    for await (const frame of readFrames(stream, options.maxFrameBytes)) {
      await options.onFrame(frame, connection, stream);
    }
    await stream.close().catch(() => {});
  } catch (err) {
    const violation = err instanceof ProtocolViolation || isFrameLengthError(err);
    if (violation) {
      options.onViolation(peerId, (err as Error).message);
    } else {
      logger.debug("inbound stream ended", { peerId, protocol: options.protocol, error: String(err) });
    }
    stream.abort(err as Error);
  }
}
