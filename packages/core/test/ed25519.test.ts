// Ed25519: the RFC 8032 vectors, and the promise that `verify` (node:crypto) and `verifyPortable` (noble)
// accept exactly the same signatures, including every edge case of R, S and the public key.
import { readFileSync } from "node:fs";
import {
  bytesToHex,
  concatBytes,
  createSigner,
  generateSecretKey,
  getPublicKey,
  hexToBytes,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_LENGTH,
  SIGNATURE_LENGTH,
  sign,
  utf8ToBytes,
  verify,
  verifyPortable,
} from "@hansa/core";
import { ED25519_TORSION_SUBGROUP, ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secretKey } from "./helpers.js";

/** Both verifiers' answers; every test asserts they are equal before looking at the value. */
function both(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const fast = verify(signature, message, publicKey);
  const portable = verifyPortable(signature, message, publicKey);
  expect(portable, `verify said ${fast}, verifyPortable ${portable}`).toBe(fast);
  return fast;
}

// RFC 8032 section 7.1, "Test Vectors for Ed25519": TEST 1, TEST 2, TEST 3 and TEST SHA(abc).
const RFC8032 = [
  {
    name: "TEST 1 (empty message)",
    secretKey: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    name: "TEST 2 (one byte)",
    secretKey: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    name: "TEST 3 (two bytes)",
    secretKey: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature:
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
  {
    name: "TEST SHA(abc) (64 bytes)",
    secretKey: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    message:
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    signature:
      "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
  },
];

describe("RFC 8032 section 7.1 vectors", () => {
  it.each(RFC8032)("$name", (v) => {
    const sk = hexToBytes(v.secretKey);
    const message = hexToBytes(v.message);
    expect(bytesToHex(getPublicKey(sk))).toBe(v.publicKey);
    expect(bytesToHex(sign(message, sk))).toBe(v.signature);
    expect(both(hexToBytes(v.signature), message, hexToBytes(v.publicKey))).toBe(true);
  });
});

// ---- helpers to build edge-case signatures by hand --------------------------------------------------------

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function fromLe(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
}

/** k = SHA-512(R || A || M) mod L, over the bytes as given. */
function challenge(r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return fromLe(sha512(concatBytes(r, a, message))) % L;
}

/** The secret scalar of a seed, to forge signatures with a chosen R for tests. */
const seed = secretKey(9);
const { scalar: a, pointBytes: A } = ed25519.utils.getExtendedPublicKey(seed);
const message = utf8ToBytes("ship 12 containers to Rotterdam");

/** A signature with the chosen R = [r]B + T for this key: S = r + k·a, which satisfies [S]B = [r]B + [k]A. */
function signWithR(rPoint: Uint8Array, r: bigint, msg = message, pub = A): Uint8Array {
  return concatBytes(rPoint, le32((r + challenge(rPoint, pub, msg) * a) % L));
}

const torsion = ED25519_TORSION_SUBGROUP.map((h) => Point.fromHex(h));
const T8 = torsion[1]!; // a point of order 8

describe("verify and verifyPortable agree", () => {
  const sk = seed;
  const pk = getPublicKey(sk);
  const sig = sign(message, sk);

  it("on a valid signature", () => {
    expect(both(sig, message, pk)).toBe(true);
    const sk2 = generateSecretKey();
    expect(both(sign(message, sk2), message, getPublicKey(sk2))).toBe(true);
  });

  it("on every one-bit change of the message, signature or key (all refused)", () => {
    for (let bit = 0; bit < message.length * 8; bit += 7) {
      const m = new Uint8Array(message);
      m[bit >> 3]! ^= 1 << (bit & 7);
      expect(both(sig, m, pk)).toBe(false);
    }
    for (let bit = 0; bit < 512; bit += 2) {
      const s = new Uint8Array(sig);
      s[bit >> 3]! ^= 1 << (bit & 7);
      expect(both(s, message, pk)).toBe(false);
    }
    for (let bit = 1; bit < 256; bit += 2) {
      const k = new Uint8Array(pk);
      k[bit >> 3]! ^= 1 << (bit & 7);
      expect(both(sig, message, k)).toBe(false);
    }
    expect(both(sig, message, getPublicKey(secretKey(10)))).toBe(false);
  });

  it("on a non-canonical S (S + L, S + 2L, S + 15L, all refused) and S = L", () => {
    const s = fromLe(sig.subarray(32));
    for (const n of [1n, 2n, 15n]) {
      expect(both(concatBytes(sig.subarray(0, 32), le32(s + n * L)), message, pk)).toBe(false);
    }
    expect(both(concatBytes(sig.subarray(0, 32), le32(L)), message, pk)).toBe(false);
    expect(both(concatBytes(sig.subarray(0, 32), le32(2n ** 256n - 1n)), message, pk)).toBe(false);
  });

  it("on a forged S = r + k·a built by hand (the sanity check of the helpers: accepted)", () => {
    const r = 123_456_789n;
    expect(both(signWithR(Point.BASE.multiply(r).toBytes(), r), message, A)).toBe(true);
  });

  it("on small-order public keys, with signatures the cofactorless equation accepts (all refused)", () => {
    // For A of small order and R = [r]B, S = r: [S]B = R + [k]A holds whenever [k]A is the identity.
    const r = 777n;
    const R = Point.BASE.multiply(r).toBytes();
    for (const encoding of ED25519_TORSION_SUBGROUP) {
      const smallA = hexToBytes(encoding);
      for (let i = 0; i < 8; i++) {
        const m = new Uint8Array([i]);
        expect(both(concatBytes(R, le32(r)), m, smallA)).toBe(false);
      }
    }
  });

  it("on non-canonical public keys (y >= p, or x = -0), all refused", () => {
    const r = 777n;
    const R = Point.BASE.multiply(r).toBytes();
    const encodings = [
      le32(P), // y = 0 (order 4), written as p
      le32(P + 1n), // the identity, written as p + 1
      le32(1n + (1n << 255n)), // the identity with x = -0
      le32(P - 1n + (1n << 255n)), // order 2 with x = -0
      ...[3n, 4n, 5n, 6n, 9n, 10n, 14n, 15n, 16n, 18n].map((y) => le32(P + y)), // y >= p, not small order
      le32(2n ** 255n - 1n),
    ];
    for (const key of encodings) expect(both(concatBytes(R, le32(r)), message, key)).toBe(false);
  });

  it("on R of small order, including the identity (all refused)", () => {
    for (const [i, t] of torsion.entries()) {
      // R = T: S = k·a satisfies [S]B = [k]A; with T != identity only the cofactored equation holds.
      const R = t.toBytes();
      const sigT = concatBytes(R, le32((challenge(R, A, message) * a) % L));
      expect(both(sigT, message, A), `torsion point ${i}`).toBe(false);
    }
  });

  it("on non-canonical R (the identity written as p + 1, all refused)", () => {
    const R = le32(P + 1n);
    expect(both(concatBytes(R, le32((challenge(R, A, message) * a) % L)), message, A)).toBe(false);
  });

  it("on R with a small-order component (cofactored equation only: refused)", () => {
    for (const t of torsion.slice(1)) {
      const r = 4242n;
      expect(both(signWithR(Point.BASE.multiply(r).add(t).toBytes(), r), message, A)).toBe(false);
    }
  });

  it("on a public key with a small-order component (accepted exactly when [k]T vanishes)", () => {
    const mixedA = Point.fromBytes(A).add(T8).toBytes();
    let accepted = 0;
    for (let i = 0; i < 64; i++) {
      const m = new Uint8Array([i, 1]);
      const r = 1000n + BigInt(i);
      const R = Point.BASE.multiply(r).toBytes();
      const k = challenge(R, mixedA, m);
      const s = concatBytes(R, le32((r + k * a) % L));
      const ok = both(s, m, mixedA);
      // [S]B - [k]A' = R - [k]T, which equals R only when 8 divides k.
      expect(ok).toBe(k % 8n === 0n);
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it("on wrong lengths and wrong types (refused, never thrown)", () => {
    expect(both(sig.subarray(0, 63), message, pk)).toBe(false);
    expect(both(concatBytes(sig, new Uint8Array(1)), message, pk)).toBe(false);
    expect(both(new Uint8Array(0), message, pk)).toBe(false);
    expect(both(sig, message, pk.subarray(0, 31))).toBe(false);
    expect(both(sig, message, concatBytes(pk, new Uint8Array(1)))).toBe(false);
    expect(both(sig, message, new Uint8Array(0))).toBe(false);
    expect(both(sig, "hello" as unknown as Uint8Array, pk)).toBe(false);
    expect(both([...sig] as unknown as Uint8Array, message, pk)).toBe(false);
    expect(both(sig, message, null as unknown as Uint8Array)).toBe(false);
  });

  it("on a key that is not a curve point", () => {
    expect(both(sig, message, le32(2n))).toBe(false);
  });

  it("on random mutations of valid signatures (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.nat({ max: 2 }),
        fc.nat({ max: 63 }),
        fc.nat({ max: 255 }),
        (msg, where, at, byte) => {
          const s = sign(msg, sk);
          const parts = [new Uint8Array(s), new Uint8Array(msg), new Uint8Array(pk)];
          const target = parts[where]!;
          if (target.length > 0) target[at % target.length] = byte;
          both(parts[0]!, parts[1]!, parts[2]!);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("C2SP CCTV ed25519 vectors (test/vectors/ed25519vectors.json)", () => {
  interface Vector {
    number: number;
    key: string;
    sig: string;
    msg: string;
    flags: string[] | null;
  }
  const vectors: Vector[] = JSON.parse(
    readFileSync(new URL("./vectors/ed25519vectors.json", import.meta.url), "utf8"),
  ) as Vector[];

  // The rule of src/keys/ed25519.ts accepts a vector only if its points are canonical, not of small order,
  // and it verifies under the cofactorless equation: the only flags it tolerates are the "has a small-order
  // component" ones, which the equation then decides.
  const tolerated = new Set(["low_order_component_A", "low_order_component_R"]);

  it("has all 914 vectors", () => {
    expect(vectors).toHaveLength(914);
  });

  it("both verifiers agree on every vector and accept exactly the allowed ones", () => {
    let accepted = 0;
    for (const v of vectors) {
      const expected = (v.flags ?? []).every((f) => tolerated.has(f));
      const got = both(hexToBytes(v.sig), utf8ToBytes(v.msg), hexToBytes(v.key));
      expect(got, `vector ${v.number} flags ${v.flags}`).toBe(expected);
      if (got) accepted++;
    }
    expect(accepted).toBe(43);
  });
});

describe("key sizes", () => {
  it("are the RFC 8032 sizes", () => {
    expect([SECRET_KEY_LENGTH, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH]).toEqual([32, 32, 64]);
  });

  it("sign and getPublicKey refuse a secret key of the wrong size", () => {
    expect(() => sign(message, new Uint8Array(31))).toThrow(RangeError);
    expect(() => getPublicKey(new Uint8Array(64))).toThrow(RangeError);
  });
});

describe("createSigner (node:crypto)", () => {
  it("signs exactly as the portable `sign` does, for any key and message", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (sk, message) => {
        const signature = createSigner(sk)(message);
        expect(bytesToHex(signature)).toBe(bytesToHex(sign(message, sk)));
        expect(verify(signature, message, getPublicKey(sk))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a secret key of the wrong length", () => {
    expect(() => createSigner(new Uint8Array(31))).toThrow();
  });
});
