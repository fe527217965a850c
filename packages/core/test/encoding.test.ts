// The canonical CBOR codec (src/encoding/codec.ts): every primitive codec round trips, and the decoder
// refuses every other encoding with the error code that names the problem.
import {
  bool,
  bytes,
  bytesToHex,
  concatBytes,
  DEFAULT_MAX_DECODE_BYTES,
  decode,
  decodeTransaction,
  decodeVote,
  EncodingError,
  EncodingErrorCode,
  encode,
  encodeTransaction,
  encodeVote,
  list,
  MAX_TRANSACTION_BYTES,
  nullable,
  oneOf,
  struct,
  TransactionCodec,
  text,
  uint,
} from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cbor,
  expectEncodingError,
  sampleTransaction,
  sampleVote,
  transactionFrom,
  transactionItems,
} from "./helpers.js";

const { OVERSIZE, MALFORMED, TRAILING_BYTES, NON_CANONICAL, SCHEMA } = EncodingErrorCode;

describe("primitive codecs round trip", () => {
  const cases: [string, Parameters<typeof encode>[0], unknown, string][] = [
    ["uint 0", uint(), 0, "00"],
    ["uint 23", uint(), 23, "17"],
    ["uint 24", uint(), 24, "1818"],
    ["uint 2^32", uint(), 2 ** 32, "1b0000000100000000"],
    ["uint 2^53-1", uint(), Number.MAX_SAFE_INTEGER, "1b001fffffffffffff"],
    ["bytes exact", bytes(3), new Uint8Array([1, 2, 3]), "43010203"],
    ["bytes bounded, empty", bytes({ max: 4 }), new Uint8Array(0), "40"],
    ["text", text({ max: 16 }), "héllo", "6668c3a96c6c6f"],
    ["text with a pattern", text({ max: 8, pattern: /^[a-z]+$/ }), "abc", "63616263"],
    ["text starting with U+FEFF", text({ max: 8 }), "\ufeffa", "64efbbbf61"],
    ["bool true", bool(), true, "f5"],
    ["bool false", bool(), false, "f4"],
    ["oneOf", oneOf(["a", "b"] as const), "b", "6162"],
    ["nullable null", nullable(uint()), null, "f6"],
    ["nullable value", nullable(uint()), 5, "05"],
    ["list", list(uint(), { max: 3 }), [1, 2, 3], "83010203"],
    ["empty list", list(uint(), { max: 3 }), [], "80"],
    ["struct", struct("S", { a: uint(), b: text({ max: 4 }) }), { a: 1, b: "x" }, "82016178"],
  ];

  it.each(cases)("%s", (_name, codec, value, hex) => {
    const encoded = encode(codec, value as never);
    expect(bytesToHex(encoded)).toBe(hex);
    expect(decode(codec, encoded)).toEqual(value);
  });
});

describe("encode refuses values outside the schema", () => {
  it.each([
    ["negative uint", uint(), -1],
    ["fractional uint", uint(), 1.5],
    ["uint above 2^53-1", uint(), 2 ** 53],
    ["short exact bytes", bytes(3), new Uint8Array(2)],
    ["long bounded bytes", bytes({ max: 2 }), new Uint8Array(3)],
    ["bytes given a string", bytes(3), "abc"],
    ["text over its byte limit", text({ max: 3 }), "héé"],
    ["text failing its pattern", text({ max: 8, pattern: /^[a-z]+$/ }), "ABC"],
    ["text with a lone surrogate", text({ max: 8 }), "a\ud800"],
    ["bool given a string", bool(), "true"],
    ["oneOf given another value", oneOf(["a"] as const), "b"],
    ["list over its bound", list(uint(), { max: 1 }), [1, 2]],
    ["struct missing a field", struct("S", { a: uint() }), {}],
  ])("%s", (_name, codec, value) => {
    expect(() => encode(codec as never, value as never)).toThrow(RangeError);
  });
});

describe("decode refuses", () => {
  const tx = sampleTransaction();
  const items = transactionItems(tx);
  const canonical = encodeTransaction(tx);

  it("accepts the canonical encoding, built by hand the same way", () => {
    expect(transactionFrom(items)).toEqual(canonical);
    expect(decodeTransaction(canonical)).toEqual(tx);
  });

  describe("non-canonical bytes", () => {
    it.each([
      ["an integer written as a float64", { nonce: cbor.float64(7) }],
      ["an integer written as a float32", { nonce: cbor.float32(7) }],
      ["an integer written as a float16", { nonce: cbor.float16(7) }],
      ["a non-minimal integer (1 byte)", { nonce: cbor.uint(7, 1) }],
      ["a non-minimal integer (8 bytes)", { nonce: cbor.uint(7, 8) }],
      ["a non-minimal byte-string length", { sender: cbor.bytes(tx.sender, 2) }],
      ["a non-minimal text length", { kind: cbor.text(tx.kind, 1) }],
      [
        "an indefinite-length byte string",
        { payload: cbor.indefiniteBytes([tx.payload.subarray(0, 3), tx.payload.subarray(3)]) },
      ],
      ["an indefinite-length text string", { kind: cbor.indefiniteText(["record", ".put"]) }],
    ])("%s", (_name, patch) => {
      const data = transactionFrom({ ...items, ...patch });
      expectEncodingError(() => decodeTransaction(data), NON_CANONICAL);
    });

    it("a non-minimal array length", () => {
      const all = Object.values(items);
      expectEncodingError(() => decodeTransaction(cbor.array(all, 1)), NON_CANONICAL);
    });

    it("an indefinite-length array", () => {
      expectEncodingError(() => decodeTransaction(cbor.indefiniteArray(Object.values(items))), NON_CANONICAL);
    });
  });

  it("a map where an array is expected (a schema error: maps are not part of any Hansa structure)", () => {
    const map = cbor.map(Object.entries(items).map(([k, v]) => [cbor.text(k), v]));
    const err = expectEncodingError(() => decodeTransaction(map), SCHEMA);
    expect(err.type).toMatchObject({ path: "Transaction" });
  });

  it("trailing bytes", () => {
    const err = expectEncodingError(
      () => decodeTransaction(concatBytes(canonical, new Uint8Array([0]))),
      TRAILING_BYTES,
    );
    expect(err.type).toEqual({ code: TRAILING_BYTES, trailing: 1 });
    expectEncodingError(() => decodeTransaction(concatBytes(canonical, canonical)), TRAILING_BYTES);
  });

  it("an unknown (extra) field", () => {
    const data = cbor.array([...Object.values(items), cbor.uint(0)]);
    expectEncodingError(() => decodeTransaction(data), SCHEMA);
  });

  it("a missing field", () => {
    const data = cbor.array(Object.values(items).slice(0, 5));
    expectEncodingError(() => decodeTransaction(data), SCHEMA);
  });

  describe("wrong types, naming the field", () => {
    it.each([
      ["chainId as bytes", { chainId: cbor.bytes(new Uint8Array(3)) }, "Transaction.chainId"],
      ["sender as text", { sender: cbor.text("x") }, "Transaction.sender"],
      ["sender of 31 bytes", { sender: cbor.bytes(new Uint8Array(31)) }, "Transaction.sender"],
      ["nonce negative", { nonce: cbor.negint(-1) }, "Transaction.nonce"],
      ["nonce fractional", { nonce: cbor.float64(1.5) }, "Transaction.nonce"],
      ["nonce as text", { nonce: cbor.text("7") }, "Transaction.nonce"],
      ["nonce as null", { nonce: cbor.null }, "Transaction.nonce"],
      ["nonce as bool", { nonce: cbor.true }, "Transaction.nonce"],
      ["payload as array", { payload: cbor.array([]) }, "Transaction.payload"],
      ["signature of 65 bytes", { signature: cbor.bytes(new Uint8Array(65)) }, "Transaction.signature"],
    ])("%s", (_name, patch, path) => {
      const err = expectEncodingError(() => decodeTransaction(transactionFrom({ ...items, ...patch })), SCHEMA);
      expect(err.type).toEqual({ code: SCHEMA, path });
    });

    it("a nested structure names the full path", () => {
      const codec = struct("Outer", { inner: list(struct("Inner", { n: uint() }), { max: 4 }) });
      const data = cbor.array([cbor.array([cbor.array([cbor.uint(1)]), cbor.array([cbor.text("x")])])]);
      const err = expectEncodingError(() => decode(codec, data), SCHEMA);
      expect(err.type).toEqual({ code: SCHEMA, path: "Outer.inner[1].n" });
    });

    it("a vote type other than 1 or 2", () => {
      const bytes = encodeVote(sampleVote());
      const patched = new Uint8Array(bytes);
      patched[1] = 3; // the first field, type, is the byte after the array head
      expectEncodingError(() => decodeVote(patched), SCHEMA);
    });
  });

  it("input over the size limit, before parsing it", () => {
    const big = new Uint8Array(MAX_TRANSACTION_BYTES + 1);
    const err = expectEncodingError(() => decodeTransaction(big), OVERSIZE);
    expect(err.type).toEqual({ code: OVERSIZE, size: MAX_TRANSACTION_BYTES + 1, limit: MAX_TRANSACTION_BYTES });
    expectEncodingError(() => decode(uint(), new Uint8Array([0, 0]), 1), OVERSIZE);
    expect(DEFAULT_MAX_DECODE_BYTES).toBe(16 * 1024 * 1024);
  });

  describe("text over limits or failing patterns", () => {
    it.each([
      ["chainId of 65 characters", { chainId: cbor.text("a".repeat(65)) }],
      ["chainId with upper case", { chainId: cbor.text("Hansa") }],
      ["chainId starting with a dot", { chainId: cbor.text(".hansa") }],
      ["empty chainId", { chainId: cbor.text("") }],
      ["kind with a space", { kind: cbor.text("record put") }],
      ["kind ending in a dot", { kind: cbor.text("record.") }],
      ["kind of 65 bytes", { kind: cbor.text(`a${"b".repeat(64)}`) }],
    ])("%s", (_name, patch) => {
      expectEncodingError(() => decodeTransaction(transactionFrom({ ...items, ...patch })), SCHEMA);
    });

    it("a limit counts UTF-8 bytes, not characters", () => {
      const codec = text({ max: 4 });
      expect(decode(codec, cbor.text("éé"))).toBe("éé");
      expectEncodingError(() => decode(codec, cbor.text("ééé")), SCHEMA);
    });
  });

  describe("invalid UTF-8", () => {
    it.each([
      ["a lone continuation byte", [0x80]],
      ["a truncated two-byte sequence", [0xc3]],
      ["an overlong encoding of '/'", [0xc0, 0xaf]],
      ["an encoded surrogate (U+D800)", [0xed, 0xa0, 0x80]],
      ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
      ["0xff", [0x61, 0xff]],
    ])("%s", (_name, raw) => {
      const codec = text({ max: 64 });
      expectEncodingError(() => decode(codec, cbor.rawText(new Uint8Array(raw))), MALFORMED);
      // also inside a long string, past the decoder's ASCII fast path
      const long = new Uint8Array([...new Array(40).fill(0x61), ...raw]);
      expectEncodingError(() => decode(codec, cbor.rawText(long)), MALFORMED);
    });
  });

  describe("malformed CBOR", () => {
    it.each([
      ["empty input", []],
      ["a truncated array", [0x86, 0x6a]],
      ["a truncated byte string", [0x58, 0x20, 0x00]],
      ["a lone break byte", [0xff]],
      ["a reserved additional-information value", [0x1c]],
      ["undefined", [0xf7]],
      ["NaN", [0xf9, 0x7e, 0x00]],
      ["Infinity", [0xf9, 0x7c, 0x00]],
      ["a tag", [0xc1, 0x00]],
      ["an integer beyond 2^53-1", [0x1b, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]],
    ])("%s", (_name, raw) => {
      expectEncodingError(() => decode(nullable(uint()), new Uint8Array(raw)), MALFORMED);
    });
  });

  it("a non-Uint8Array input as a schema error", () => {
    expectEncodingError(() => decode(uint(), [0] as unknown as Uint8Array), SCHEMA);
  });
});

describe("properties", () => {
  it("random byte strings never throw anything but EncodingError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        try {
          decode(TransactionCodec, data);
        } catch (err) {
          if (!(err instanceof EncodingError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("random mutations of a valid encoding never throw anything but EncodingError, and never decode to a different encoding", () => {
    const valid = encodeTransaction(sampleTransaction());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -3, max: 3 }),
        (edits, resize) => {
          let data: Uint8Array = new Uint8Array(valid);
          for (const [at, byte] of edits) data[at] = byte;
          if (resize > 0) data = concatBytes(data, new Uint8Array(resize));
          if (resize < 0) data = data.subarray(0, data.length + resize);
          try {
            const tx = decodeTransaction(data);
            // Whatever decodes is canonical: re-encoding gives back the very same bytes.
            expect(encodeTransaction(tx)).toEqual(data);
          } catch (err) {
            if (!(err instanceof EncodingError)) throw err;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("random valid text of any Unicode round trips", () => {
    const codec = text({ max: 256 });
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (s) => {
        expect(decode(codec, encode(codec, s))).toBe(s);
      }),
    );
  });
});
