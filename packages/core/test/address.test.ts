// Addresses: bech32m (BIP 350) of the first 20 bytes of SHA-256(public key), human part "hansa".
import {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  AddressError,
  addressBytesFromPublicKey,
  addressFromPublicKey,
  addressToBytes,
  getPublicKey,
  isAddress,
  sha256,
} from "@hansa/core";
import { bech32, bech32m } from "@scure/base";
import { describe, expect, it } from "vitest";
import { expectCode, secretKey } from "./helpers.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const publicKey = getPublicKey(secretKey(1));
const address = addressFromPublicKey(publicKey);

describe("address", () => {
  it("round trips to the first 20 bytes of SHA-256(public key)", () => {
    expect(address.startsWith(`${ADDRESS_PREFIX}1`)).toBe(true);
    expect(address).toHaveLength(44);
    const bytes = addressToBytes(address);
    expect(bytes).toHaveLength(ADDRESS_BYTES);
    expect(bytes).toEqual(sha256(publicKey).subarray(0, 20));
    expect(bytes).toEqual(addressBytesFromPublicKey(publicKey));
    expect(isAddress(address)).toBe(true);
  });

  it("is stable for a fixed key (the worked example of docs/encoding.md uses this one)", () => {
    expect(address).toBe("hansa1x36slx9at870e9rd53d2405n80s4ff94eakfug");
  });

  it("checksum catches every single-character substitution", () => {
    const data = address.slice(ADDRESS_PREFIX.length + 1);
    for (let i = 0; i < data.length; i++) {
      for (const c of CHARSET) {
        if (c === data[i]) continue;
        const typo = `${ADDRESS_PREFIX}1${data.slice(0, i)}${c}${data.slice(i + 1)}`;
        expect(isAddress(typo), typo).toBe(false);
      }
    }
  });

  it("checksum catches swapped neighbours and a dropped or doubled character", () => {
    const data = address.slice(6);
    for (let i = 0; i + 1 < data.length; i++) {
      if (data[i] === data[i + 1]) continue;
      const swapped = `hansa1${data.slice(0, i)}${data[i + 1]}${data[i]}${data.slice(i + 2)}`;
      expect(isAddress(swapped)).toBe(false);
    }
    expect(isAddress(address.slice(0, -1))).toBe(false);
    expect(isAddress(`${address}q`)).toBe(false);
  });

  it("refuses another prefix, even with a valid checksum", () => {
    const words = bech32m.toWords(addressBytesFromPublicKey(publicKey));
    const other = bech32m.encode("hanse", words);
    const err = expectCode(() => addressToBytes(other), "ADDRESS_INVALID");
    expect(err).toBeInstanceOf(AddressError);
    expect(err.message).toContain("prefix");
  });

  it("refuses a payload of the wrong length, even with a valid checksum", () => {
    for (const n of [0, 19, 21, 32]) {
      const wrong = bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(new Uint8Array(n)));
      expectCode(() => addressToBytes(wrong), "ADDRESS_INVALID");
    }
  });

  it("refuses bech32 (BIP 173) checksums: only bech32m is an address", () => {
    const legacy = bech32.encode(ADDRESS_PREFIX, bech32.toWords(addressBytesFromPublicKey(publicKey)));
    expectCode(() => addressToBytes(legacy), "ADDRESS_INVALID");
  });

  it("refuses mixed case and non-strings; all upper case is the same address (BIP 350)", () => {
    expect(isAddress(`${address.slice(0, 8)}${address.slice(8).toUpperCase()}`)).toBe(false);
    expect(addressToBytes(address.toUpperCase())).toEqual(addressToBytes(address));
    expect(isAddress(42)).toBe(false);
    expect(isAddress(undefined)).toBe(false);
    expect(isAddress("")).toBe(false);
  });

  it("addressBytesFromPublicKey refuses a key that is not 32 bytes", () => {
    expect(() => addressBytesFromPublicKey(new Uint8Array(31))).toThrow(RangeError);
  });
});
