import {
  bytes,
  decode,
  encode,
  type Infer,
  list,
  MAX_BLOCK_BYTES,
  MAX_TRANSACTION_BYTES,
  oneOf,
  struct,
  uint,
} from "@hansa/core";

/**
 * Every message on the wire is canonical CBOR through core's codecs: structures are arrays with fields by
 * position, and decoding rejects anything oversize, malformed or non-canonical.
 */

/** Largest block part any node accepts, whatever part size the sender chose. */
export const MAX_BLOCK_PART_BYTES = 1024 * 1024;
/** Largest encoded commit certificate (256 signers × ~70 bytes, with room to spare). */
export const MAX_COMMIT_BYTES = 64 * 1024;
/** Most transactions a gossip batch may ever hold. */
export const MAX_BATCH_TXS = 65_536;

export const TxBatchCodec = struct("TxBatch", {
  txs: list(bytes({ max: MAX_TRANSACTION_BYTES }), { max: MAX_BATCH_TXS }),
});

export const FrameKind = { STATUS: "status", PROPOSAL: "proposal", VOTE: "vote" } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** One frame on the consensus stream. */
export const ConsensusFrameCodec = struct("ConsensusFrame", {
  kind: oneOf([FrameKind.STATUS, FrameKind.PROPOSAL, FrameKind.VOTE] as const),
  payload: bytes({ max: 1024 * 1024 }),
});
export type ConsensusFrame = Infer<typeof ConsensusFrameCodec>;

/** The payload of a status frame: the sender's latest committed height. */
export const StatusCodec = struct("Status", { height: uint() });

/** One part of a proposal's block body; parts of a block are sent in order, index 0 first. */
export const BlockPartCodec = struct("BlockPart", {
  height: uint(),
  round: uint(),
  blockHash: bytes(32),
  /** Length of the whole block body. */
  size: uint(),
  index: uint(),
  data: bytes({ max: MAX_BLOCK_PART_BYTES }),
});
export type BlockPart = Infer<typeof BlockPartCodec>;

/** Sync request: heights `from..to`, inclusive. */
export const SyncRequestCodec = struct("SyncRequest", { from: uint(), to: uint() });

/** One frame of a sync response; the server closes the stream after the last. */
export const SyncItemCodec = struct("SyncItem", {
  height: uint(),
  block: bytes({ max: MAX_BLOCK_BYTES }),
  commit: bytes({ max: MAX_COMMIT_BYTES }),
});
export type SyncItem = Infer<typeof SyncItemCodec>;

export const encodeTxBatch = (txs: Uint8Array[]) => encode(TxBatchCodec, { txs });
export const decodeTxBatch = (data: Uint8Array, maxBytes: number) => decode(TxBatchCodec, data, maxBytes).txs;
export const encodeConsensusFrame = (frame: ConsensusFrame) => encode(ConsensusFrameCodec, frame);
export const decodeConsensusFrame = (data: Uint8Array, maxPayload: number) =>
  decode(ConsensusFrameCodec, data, maxPayload + 64);
export const encodeStatus = (height: number) => encode(StatusCodec, { height });
export const decodeStatus = (data: Uint8Array) => decode(StatusCodec, data, 16).height;
export const encodeBlockPart = (part: BlockPart) => encode(BlockPartCodec, part);
export const decodeBlockPart = (data: Uint8Array) => decode(BlockPartCodec, data, MAX_BLOCK_PART_BYTES + 128);
export const encodeSyncRequest = (from: number, to: number) => encode(SyncRequestCodec, { from, to });
export const decodeSyncRequest = (data: Uint8Array) => decode(SyncRequestCodec, data, 32);
export const encodeSyncItem = (item: SyncItem) => encode(SyncItemCodec, item);
export const decodeSyncItem = (data: Uint8Array) =>
  decode(SyncItemCodec, data, MAX_BLOCK_BYTES + MAX_COMMIT_BYTES + 64);
