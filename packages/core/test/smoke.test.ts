import { describe, expect, it } from "vitest";
import {
  decodeTransaction,
  encodeTransaction,
  generateSecretKey,
  signTransaction,
  transactionHash,
  verifyTransactionSignature,
} from "@hansa/core";

describe("transaction round trip", () => {
  it("signs, encodes, decodes and verifies", () => {
    const sk = generateSecretKey();
    const tx = signTransaction({ chainId: "test", nonce: 0, kind: "record.put", payload: new Uint8Array([1, 2]) }, sk);
    const bytes = encodeTransaction(tx);
    const back = decodeTransaction(bytes);
    expect(verifyTransactionSignature(back)).toBe(true);
    expect(transactionHash(bytes)).toHaveLength(32);
    expect(verifyTransactionSignature({ ...back, nonce: 1 })).toBe(false);
  });
});
