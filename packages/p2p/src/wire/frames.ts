import type { AbortOptions, Stream } from "@libp2p/interface";
import * as lp from "it-length-prefixed";

/**
 * Frames on a stream are varint length-prefixed. `send` is synchronous and queues the whole frame, so
 * concurrent writers never interleave bytes; when the stream's buffer is full we wait for it to drain.
 */
export async function sendFrame(stream: Stream, data: Uint8Array, options?: AbortOptions): Promise<void> {
  if (!stream.send(lp.encode.single(data))) await stream.onDrain(options);
}

/** Frames until the remote closes its end; a frame over `maxBytes` throws before it is buffered. */
export async function* readFrames(stream: Stream, maxBytes: number): AsyncGenerator<Uint8Array> {
  for await (const frame of lp.decode(stream, { maxDataLength: maxBytes })) {
    yield frame.subarray();
  }
}

/** Length of `data` once framed, for traffic counters. */
export function framedLength(data: Uint8Array): number {
  let prefix = 1;
  for (let n = data.length; n >= 0x80; n >>>= 7) prefix++;
  return prefix + data.length;
}

/** Whether `err` is the length-prefix decoder refusing a frame: oversize or a malformed length. */
export function isFrameLengthError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === "ERR_MSG_DATA_TOO_LONG" || code === "ERR_MSG_LENGTH_TOO_LONG" || code === "ERR_INVALID_MSG_LENGTH";
}
