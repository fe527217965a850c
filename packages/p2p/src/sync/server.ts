import type { Connection, Libp2p, Stream } from "@libp2p/interface";
import type { NetworkLimits } from "../limits.js";
import type { PeerBook } from "../peers/peer-book.js";
import type { BlockSource, Logger } from "../types.js";
import { decodeSyncRequest, encodeSyncItem } from "../wire/codecs.js";
import { readFrames, sendFrame } from "../wire/frames.js";

export interface SyncServerDeps {
  libp2p: Libp2p;
  protocol: string;
  limits: NetworkLimits;
  blockSource: BlockSource;
  peerBook: PeerBook;
  logger: Logger;
  penalize(peerId: string, points: number, reason: string): void;
}

/**
 * Serves sync requests from the node's store: one request frame in, up to `syncBatchBlocks` items out (fewer
 * past `syncMaxResponseBytes` or the node's height), then the stream closes. A client asks again for the
 * rest, so a response never holds more than a bounded amount of memory.
 */
export async function startSyncServer(deps: SyncServerDeps): Promise<void> {
  await deps.libp2p.handle(deps.protocol, (stream, connection) => void serve(stream, connection, deps), {
    maxInboundStreams: Math.max(4, deps.limits.syncParallelRequests * 2),
  });
}

async function serve(stream: Stream, connection: Connection, deps: SyncServerDeps): Promise<void> {
  const peerId = connection.remotePeer.toString();
  const { limits, peerBook } = deps;
  try {
    const frames = readFrames(stream, 64);
    const first = await frames.next();
    await frames.return(undefined);
    if (first.done) throw new Error("no sync request");
    peerBook.received(peerId, first.value.length);
    let from: number;
    let to: number;
    try {
      ({ from, to } = decodeSyncRequest(first.value));
      if (from < 1 || to < from) throw new RangeError(`bad range ${from}..${to}`);
    } catch (err) {
      deps.penalize(peerId, limits.invalidPenalty, `malformed sync request: ${(err as Error).message}`);
      stream.abort(err as Error);
      return;
    }
    const last = Math.min(to, deps.blockSource.latestHeight(), from + limits.syncBatchBlocks - 1);
    const items = last >= from ? await deps.blockSource.getBlocks(from, last) : [];
    let sentBytes = 0;
    for (const [i, item] of items.entries()) {
      const frame = encodeSyncItem({ height: from + i, block: item.block, commit: item.commit });
      if (sentBytes > 0 && sentBytes + frame.length > limits.syncMaxResponseBytes) break;
      await sendFrame(stream, frame);
      sentBytes += frame.length;
      peerBook.sent(peerId, frame.length);
    }
    await stream.close();
    deps.logger.debug("sync served", { peerId, from, to: last, bytes: sentBytes });
  } catch (err) {
    deps.logger.debug("sync serve failed", { peerId, error: String(err) });
    stream.abort(err as Error);
  }
}
