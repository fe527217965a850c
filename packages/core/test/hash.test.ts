// sha256 copies node:crypto's latin1 digest into bytes by hand; a slip there would corrupt every id and root.
import { createHash } from "node:crypto";
import { bytesToHex, bytesToKey, sha256, sha256Key, sha256Pair, sha256Parts } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("sha256", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    expect(bytesToHex(sha256(utf8("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(bytesToHex(sha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("agrees with a streaming hash on any input, as a plain 32-byte Uint8Array", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const digest = sha256(data);
        expect(Buffer.isBuffer(digest)).toBe(false);
        expect(digest.length).toBe(32);
        expect(bytesToHex(digest)).toBe(createHash("sha256").update(data).digest("hex"));
      }),
    );
  });

  it("hashes a prefixed pair as the parts it joins, whatever the lengths", () => {
    const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.oneof(hash32, fc.uint8Array()), hash32, (prefix, a, b) => {
        expect(sha256Pair(prefix, a, b)).toEqual(sha256Parts(Uint8Array.of(prefix), a, b));
        // The fixed buffer is reused: a second pair must not see the first.
        expect(sha256Pair(prefix, b, b)).toEqual(sha256Parts(Uint8Array.of(prefix), b, b));
      }),
    );
  });

  it("keys and parts name the same digest", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        expect(sha256Key(a)).toBe(bytesToKey(sha256(a)));
        expect(sha256Parts(a, b)).toEqual(sha256(new Uint8Array([...a, ...b])));
      }),
    );
  });
});
