import {
  bytesTo0x,
  decodeSmtProof,
  EncodingError,
  EncodingErrorCode,
  encodeSmtProof,
  hexToBytes,
  SMT_EMPTY_ROOT,
  SMT_PROOF_MAX_BYTES,
  type SmtProof,
  SparseMerkleTree,
  verifySmtProof,
} from "@hansa/core";
import { encode as cborEncode } from "cborg";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytes32, MemoryStore } from "./memory-store.js";

fc.configureGlobal({ seed: 0x5317 });

const key = bytes32("80");
const value = bytes32("11");

async function memberProof() {
  const store = new MemoryStore();
  const tree = new SparseMerkleTree(store);
  const u = await tree.update(SMT_EMPTY_ROOT, [
    { key, valueHash: value },
    { key: bytes32("01"), valueHash: value },
  ]);
  store.put(u.nodes);
  return { root: u.root, proof: await tree.prove(u.root, key) };
}

function decodeError(data: Uint8Array): string | undefined {
  try {
    decodeSmtProof(data);
  } catch (err) {
    expect(err).toBeInstanceOf(EncodingError);
    return (err as EncodingError).code;
  }
  return undefined;
}

describe("sparse Merkle proof encoding", () => {
  it("round-trips through canonical CBOR and 0x-hex, as a client over JSON-RPC would receive it", async () => {
    const { root, proof } = await memberProof();
    const wire = bytesTo0x(encodeSmtProof(proof));
    const back = decodeSmtProof(hexToBytes(wire));
    expect(back).toEqual(proof);
    expect(verifySmtProof(root, key, value, back)).toBe(true);
    // The layout is [leaf, siblings] with leaf = [key, valueHash] or null.
    expect(encodeSmtProof(proof)).toEqual(cborEncode([[key, value], proof.siblings]));
    expect(encodeSmtProof({ leaf: null, siblings: [] })).toEqual(Uint8Array.of(0x82, 0xf6, 0x80));
  });

  it("fits the largest proof under its size limit", () => {
    const largest: SmtProof = {
      leaf: { key, valueHash: value },
      siblings: Array.from({ length: 256 }, () => value),
    };
    expect(encodeSmtProof(largest).length).toBeLessThanOrEqual(SMT_PROOF_MAX_BYTES);
    expect(decodeSmtProof(encodeSmtProof(largest))).toEqual(largest);
  });

  it("rejects anything but the one canonical encoding", async () => {
    const { proof } = await memberProof();
    const good = encodeSmtProof(proof);
    expect(decodeError(Uint8Array.of(...good, 0))).toBe(EncodingErrorCode.TRAILING_BYTES);
    expect(decodeError(good.subarray(0, good.length - 1))).toBe(EncodingErrorCode.MALFORMED);
    expect(decodeError(cborEncode([null, Array.from({ length: 257 }, () => value)]))).toBe(EncodingErrorCode.SCHEMA);
    expect(decodeError(cborEncode([null, [value.subarray(1)]]))).toBe(EncodingErrorCode.SCHEMA);
    expect(decodeError(cborEncode([[key, value, value], []]))).toBe(EncodingErrorCode.SCHEMA);
    expect(decodeError(cborEncode([null]))).toBe(EncodingErrorCode.SCHEMA);
    // An array length written in two bytes where one suffices.
    expect(decodeError(Uint8Array.of(0x98, 0x02, 0xf6, 0x80))).toBe(EncodingErrorCode.NON_CANONICAL);
    expect(decodeError(new Uint8Array(SMT_PROOF_MAX_BYTES + 1))).toBe(EncodingErrorCode.OVERSIZE);
  });

  it("verifies to false, never throws, on malformed input", async () => {
    const { root, proof } = await memberProof();
    const hostile = new Proxy(proof, {
      get() {
        throw new Error("boom");
      },
    });
    const cases: unknown[] = [
      null,
      undefined,
      42,
      "proof",
      {},
      { leaf: null },
      { leaf: null, siblings: "x" },
      { leaf: "x", siblings: [] },
      { leaf: { key }, siblings: [] },
      { ...proof, siblings: [...proof.siblings, 5] },
      { ...proof, siblings: Array.from({ length: 257 }, () => value) },
      hostile,
    ];
    for (const c of cases) expect(verifySmtProof(root, key, value, c as SmtProof)).toBe(false);
    expect(verifySmtProof(root.subarray(1), key, value, proof)).toBe(false);
    expect(verifySmtProof(root, key.subarray(1), value, proof)).toBe(false);
    expect(verifySmtProof(root, key, value.subarray(1), proof)).toBe(false);
    expect(verifySmtProof("root" as unknown as Uint8Array, key, value, proof)).toBe(false);
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true }), (anything) => {
        expect(verifySmtProof(root, key, value, anything as SmtProof)).toBe(false);
      }),
    );
  });
});
