import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockAssembler, splitBlock } from "../../src/direct/block-parts.js";
import { decodeBlockPart, encodeBlockPart } from "../../src/wire/codecs.js";

const hash = new Uint8Array(32).fill(7);

describe("block parts", () => {
  it("round-trips any block through parts, the wire codec and the assembler", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 700 }), (block, partBytes) => {
        const parts = splitBlock({ height: 3, round: 1, blockHash: hash, block }, partBytes);
        const assembler = new BlockAssembler(10_000);
        const results = parts.map((p) => assembler.push(decodeBlockPart(encodeBlockPart(p))));
        const last = results.at(-1)!;
        expect(results.slice(0, -1).every((r) => "more" in r)).toBe(true);
        expect("done" in last && last.done.block).toEqual(block);
      }),
    );
  });

  it("refuses an oversize block at its first part", () => {
    const [first] = splitBlock({ height: 1, round: 0, blockHash: hash, block: new Uint8Array(2000) }, 1000);
    expect(new BlockAssembler(1999).push(first!)).toEqual({ error: "block of 2000 bytes exceeds 1999" });
  });

  it("refuses gaps, strays and parts of another block", () => {
    const parts = splitBlock({ height: 1, round: 0, blockHash: hash, block: new Uint8Array(3000) }, 1000);
    expect("error" in new BlockAssembler(5000).push(parts[1]!)).toBe(true);
    const skipping = new BlockAssembler(5000);
    skipping.push(parts[0]!);
    expect("error" in skipping.push(parts[2]!)).toBe(true);
    const mixing = new BlockAssembler(5000);
    mixing.push(parts[0]!);
    expect("error" in mixing.push({ ...parts[1]!, height: 2 })).toBe(true);
    const overrun = new BlockAssembler(5000);
    overrun.push(parts[0]!);
    overrun.push(parts[1]!);
    expect("error" in overrun.push({ ...parts[2]!, data: new Uint8Array(1001) })).toBe(true);
  });

  it("starts over when a new block begins before the last one finished", () => {
    const a = splitBlock({ height: 1, round: 0, blockHash: hash, block: new Uint8Array(3000) }, 1000);
    const b = splitBlock({ height: 1, round: 1, blockHash: hash, block: new Uint8Array([1, 2, 3]) }, 1000);
    const assembler = new BlockAssembler(5000);
    assembler.push(a[0]!);
    const result = assembler.push(b[0]!);
    expect("done" in result && result.done.round).toBe(1);
  });
});
