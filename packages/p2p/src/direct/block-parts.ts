import { equalBytes } from "@hansa/core";
import type { BlockMessage } from "../types.js";
import type { BlockPart } from "../wire/codecs.js";

/**
 * A block body travels as parts of `partBytes` in order on the peer's block stream. Parts, rather than one
 * frame, bound the memory a frame may claim before it is checked and let a receiver refuse an oversize
 * block from its first part.
 */
export function splitBlock(msg: BlockMessage, partBytes: number): BlockPart[] {
  const parts: BlockPart[] = [];
  const { height, round, blockHash, block } = msg;
  for (let offset = 0, index = 0; offset < block.length || index === 0; offset += partBytes, index++) {
    parts.push({
      height,
      round,
      blockHash,
      size: block.length,
      index,
      data: block.subarray(offset, offset + partBytes),
    });
  }
  return parts;
}

export type AssembleResult = { done: BlockMessage } | { more: true } | { error: string };

/** Rebuilds blocks from the parts arriving on one stream; any gap, overlap or mismatch is an error. */
export class BlockAssembler {
  private current: { head: BlockPart; buffer: Uint8Array; offset: number; next: number } | undefined;

  constructor(private readonly maxBlockBytes: number) {}

  push(part: BlockPart): AssembleResult {
    if (part.index === 0) {
      // A new block abandons an unfinished one: the sender moved on to a later proposal.
      if (part.size > this.maxBlockBytes) return { error: `block of ${part.size} bytes exceeds ${this.maxBlockBytes}` };
      this.current = { head: part, buffer: new Uint8Array(part.size), offset: 0, next: 0 };
    }
    const cur = this.current;
    if (!cur) return { error: "block part without its first part" };
    const { head } = cur;
    if (part.index !== cur.next) return { error: `expected part ${cur.next}, got ${part.index}` };
    if (part.height !== head.height || part.round !== head.round || part.size !== head.size) {
      return { error: "block part does not match its block" };
    }
    if (part.index > 0 && !equalBytes(part.blockHash, head.blockHash)) return { error: "block part hash mismatch" };
    if (cur.offset + part.data.length > head.size) return { error: "block parts exceed the block size" };
    if (part.data.length === 0 && head.size > 0) return { error: "empty block part" };
    cur.buffer.set(part.data, cur.offset);
    cur.offset += part.data.length;
    cur.next += 1;
    if (cur.offset < head.size) return { more: true };
    this.current = undefined;
    return { done: { height: head.height, round: head.round, blockHash: head.blockHash, block: cur.buffer } };
  }
}
