import { MAX_BLOCK_BYTES } from "@hansa/core";
import type { Libp2p, PeerId } from "@libp2p/interface";
import type { PeerBook } from "../peers/peer-book.js";
import { decodeSyncItem, encodeSyncRequest, MAX_COMMIT_BYTES, type SyncItem } from "../wire/codecs.js";
import { isFrameLengthError, readFrames, sendFrame } from "../wire/frames.js";

/** The server sent something no honest server sends: the peer is to be dropped, not merely skipped. */
export class BadSyncResponse extends Error {
  override name = "BadSyncResponse";
}

export interface FetchRangeOptions {
  libp2p: Libp2p;
  protocol: string;
  peerBook: PeerBook;
  timeoutMs: number;
  signal: AbortSignal;
}

/** One sync request: heights `from..to` from one peer; the answer may stop early, never skip or overrun. */
export async function fetchRange(peer: PeerId, from: number, to: number, opts: FetchRangeOptions): Promise<SyncItem[]> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  const peerId = peer.toString();
  const stream = await opts.libp2p.dialProtocol(peer, opts.protocol, { signal });
  const onAbort = () => stream.abort(new Error(`sync request ${from}..${to} aborted: ${String(signal.reason)}`));
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const request = encodeSyncRequest(from, to);
    await sendFrame(stream, request, { signal });
    opts.peerBook.sent(peerId, request.length);
    await stream.close({ signal });
    const items: SyncItem[] = [];
    for await (const frame of readFrames(stream, MAX_BLOCK_BYTES + MAX_COMMIT_BYTES + 64)) {
      opts.peerBook.received(peerId, frame.length);
      let item: SyncItem;
      try {
        item = decodeSyncItem(frame);
      } catch (err) {
        throw new BadSyncResponse(`malformed sync item: ${(err as Error).message}`);
      }
      const expected = from + items.length;
      if (item.height !== expected || expected > to) {
        throw new BadSyncResponse(`sync item for height ${item.height}, expected ${expected} within ${from}..${to}`);
      }
      items.push(item);
    }
    return items;
  } catch (err) {
    stream.abort(err as Error);
    if (isFrameLengthError(err)) throw new BadSyncResponse(`bad sync frame: ${(err as Error).message}`);
    if (signal.aborted && !(err instanceof BadSyncResponse)) throw new Error(`sync request timed out or aborted`);
    throw err;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
