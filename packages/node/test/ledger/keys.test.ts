import { concatBytes, utf8ToBytes } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyTag, stateKeys, u64 } from "../../src/ledger/keys.js";

/** The layout of keys.ts written out part by part, apart from the code under test. */
const text8 = (s: string) => concatBytes(Uint8Array.of(utf8ToBytes(s).length), utf8ToBytes(s));
const text16 = (s: string) => {
  const b = utf8ToBytes(s);
  return concatBytes(Uint8Array.of(b.length >> 8, b.length & 0xff), b);
};

describe("state keys", () => {
  it("lay out text keys as tag, length-prefixed UTF-8 and big-endian version", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.nat(),
        (namespace, key, version) => {
          fc.pre(utf8ToBytes(namespace).length <= 0xff);
          expect(stateKeys.namespace(namespace)).toEqual(
            concatBytes(Uint8Array.of(KeyTag.NAMESPACE), text8(namespace)),
          );
          expect(stateKeys.record(namespace, key)).toEqual(
            concatBytes(Uint8Array.of(KeyTag.RECORD), text8(namespace), text16(key)),
          );
          expect(stateKeys.version(namespace, key, version)).toEqual(
            concatBytes(Uint8Array.of(KeyTag.HISTORY), text8(namespace), text16(key), u64(version)),
          );
        },
      ),
      { numRuns: 300, seed: 11 },
    );
    expect(stateKeys.record("ns", "é€😀")).toEqual(Uint8Array.of(0x72, 2, 0x6e, 0x73, 0, 9, ...utf8ToBytes("é€😀")));
  });

  it("refuses texts longer than their length prefix", () => {
    expect(() => stateKeys.namespace("a".repeat(256))).toThrow(RangeError);
    expect(() => stateKeys.namespace("é".repeat(128))).toThrow(RangeError);
    expect(stateKeys.namespace("a".repeat(255))).toHaveLength(257);
    expect(() => stateKeys.record("ns", "a".repeat(0x10000))).toThrow(RangeError);
  });

  it("prefix byte keys with their tag", () => {
    const pk = new Uint8Array(32).fill(7);
    expect(stateKeys.account(pk)).toEqual(Uint8Array.of(KeyTag.ACCOUNT, ...pk));
    expect(stateKeys.member(pk)).toEqual(Uint8Array.of(KeyTag.MEMBER, ...pk));
    expect(stateKeys.treeNode(pk)).toEqual(Uint8Array.of(KeyTag.TREE_NODE, ...pk));
  });
});
