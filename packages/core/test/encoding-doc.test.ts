// The worked example of docs/encoding.md, recomputed from the document's own inputs so the doc never rots.
import { readFileSync } from "node:fs";
import {
  addressFromPublicKey,
  bytesToHex,
  decodeTransaction,
  encodeTransaction,
  getPublicKey,
  hexToBytes,
  signTransaction,
  transactionHash,
  transactionSigningBytes,
  verifyPortable,
  verifyTransactionSignature,
} from "@hansa/core";
import { describe, expect, it } from "vitest";

const doc = readFileSync(new URL("../../../docs/encoding.md", import.meta.url), "utf8");

/** The `name: value` lines of the fenced block after the worked-example marker. */
function workedExample(): Record<string, string> {
  const start = doc.indexOf("<!-- worked-example");
  expect(start).toBeGreaterThan(0);
  const block = doc.slice(start).split("```")[1] ?? "";
  const lines = block.split("\n").slice(1); // drop the "text" info string
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([a-z ]+):\s+(\S+)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

describe("docs/encoding.md worked example", () => {
  const ex = workedExample();

  it("lists every value", () => {
    expect(Object.keys(ex).sort()).toEqual(
      [
        "address",
        "chain id",
        "encoded transaction",
        "kind",
        "nonce",
        "payload",
        "public key",
        "secret key",
        "signature",
        "signing bytes",
        "transaction hash",
      ].sort(),
    );
  });

  it("matches what @hansa/core computes from its inputs", () => {
    const sk = hexToBytes(ex["secret key"]!);
    const pk = getPublicKey(sk);
    expect(bytesToHex(pk)).toBe(ex["public key"]);
    expect(addressFromPublicKey(pk)).toBe(ex.address);
    const tx = signTransaction(
      { chainId: ex["chain id"]!, nonce: Number(ex.nonce), kind: ex.kind!, payload: hexToBytes(ex.payload!) },
      sk,
    );
    expect(bytesToHex(transactionSigningBytes(tx))).toBe(ex["signing bytes"]);
    expect(bytesToHex(tx.signature)).toBe(ex.signature);
    const encoded = encodeTransaction(tx);
    expect(bytesToHex(encoded)).toBe(ex["encoded transaction"]);
    expect(bytesToHex(transactionHash(encoded))).toBe(ex["transaction hash"]);
  });

  it("the documented bytes decode and verify on their own", () => {
    const tx = decodeTransaction(hexToBytes(ex["encoded transaction"]!));
    expect(verifyTransactionSignature(tx)).toBe(true);
    expect(verifyPortable(tx.signature, hexToBytes(ex["signing bytes"]!), tx.sender)).toBe(true);
  });
});
