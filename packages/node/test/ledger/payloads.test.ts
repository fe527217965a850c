import { encode, struct, text as textCodec } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPayload,
  checkEnvelope,
  decodePayload,
  isTxKind,
  LedgerErrorCode,
  PayloadCodecs,
  TX_KINDS,
} from "../../src/ledger/index.js";
import { CHAIN_ID, keys, signed, text } from "./helpers.js";

const pk = keys.mfgAdmin.publicKey;

/** One valid body per kind: the builders' contract is that each round-trips through decodePayload. */
const SAMPLES = {
  "member.add": { publicKey: pk, roles: ["admin", "writer"] },
  "member.remove": { publicKey: pk },
  "member.set_roles": { publicKey: pk, roles: [] },
  "namespace.create": { name: "letters-of-credit", description: "LCs" },
  "namespace.grant": { namespace: "shipments", org: "carrier", member: null },
  "namespace.revoke": { namespace: "shipments", org: null, member: pk },
  "record.put": { namespace: "shipments", key: "SHP-1", value: text("v") },
  "record.delete": { namespace: "shipments", key: "SHP-1" },
  "governance.propose": { op: "add", name: "v4", publicKey: pk, power: 5, force: false },
  "governance.vote": { proposalId: 3 },
} as const;

describe("payload builders", () => {
  it("build and decode every kind", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...TX_KINDS].sort());
    for (const kind of TX_KINDS) {
      const body = SAMPLES[kind];
      const built = buildPayload(kind, body as never);
      expect(built.kind).toBe(kind);
      expect(decodePayload(kind, built.payload)).toEqual({ kind, body });
    }
  });

  it("refuse what execution would refuse, with the same codes", () => {
    const bad: [string, () => unknown][] = [
      ["repeated roles", () => buildPayload("member.add", { publicKey: pk, roles: ["writer", "writer"] })],
      ["grant to both", () => buildPayload("namespace.grant", { namespace: "a", org: "b", member: pk })],
      ["grant to neither", () => buildPayload("namespace.revoke", { namespace: "a", org: null, member: null })],
      ["empty key", () => buildPayload("record.put", { namespace: "a", key: "", value: text("") })],
      ["empty delete key", () => buildPayload("record.delete", { namespace: "a", key: "" })],
      ["bad namespace name", () => buildPayload("namespace.create", { name: "Shipments", description: "" })],
      ["long key", () => buildPayload("record.delete", { namespace: "a", key: "k".repeat(257) })],
      ["short key", () => buildPayload("member.remove", { publicKey: new Uint8Array(31) })],
      [
        "add without power",
        () => buildPayload("governance.propose", { op: "add", name: "x", publicKey: pk, power: 0, force: false }),
      ],
      [
        "add without name",
        () => buildPayload("governance.propose", { op: "add", name: "", publicKey: pk, power: 1, force: false }),
      ],
      [
        "remove with power",
        () => buildPayload("governance.propose", { op: "remove", name: "", publicKey: pk, power: 1, force: false }),
      ],
      [
        "set_power to zero",
        () => buildPayload("governance.propose", { op: "set_power", name: "", publicKey: pk, power: 0, force: false }),
      ],
      [
        "set_power with name",
        () => buildPayload("governance.propose", { op: "set_power", name: "x", publicKey: pk, power: 1, force: false }),
      ],
    ];
    for (const [why, build] of bad) {
      expect(build, why).toThrow(expect.objectContaining({ code: LedgerErrorCode.BAD_PAYLOAD }));
    }
  });

  it("decoding refuses unknown kinds, foreign structures, trailing bytes and non-canonical encodings", () => {
    expect(isTxKind("record.put")).toBe(true);
    expect(isTxKind("toString")).toBe(false);
    expect(() => decodePayload("toString", new Uint8Array())).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.UNKNOWN_KIND }),
    );
    const other = encode(struct("X", { a: textCodec({ max: 5 }) }), { a: "x" });
    expect(() => decodePayload("record.put", other)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.BAD_PAYLOAD }),
    );
    const good = buildPayload("governance.vote", { proposalId: 3 }).payload;
    expect(() => decodePayload("governance.vote", new Uint8Array([...good, 0]))).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.BAD_PAYLOAD }),
    );
    // [3] with the integer in a two-byte form: valid CBOR, not canonical.
    expect(() => decodePayload("governance.vote", new Uint8Array([0x81, 0x18, 0x03]))).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.BAD_PAYLOAD }),
    );
  });

  it("property: any record.put body within limits round-trips", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.uint8Array({ maxLength: 300 }),
        (namespace, key, value) => {
          const built = buildPayload("record.put", { namespace, key, value });
          expect(decodePayload("record.put", built.payload).body).toEqual({ namespace, key, value });
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe("checkEnvelope", () => {
  it("checks chain, kind and payload, and returns the decoded payload", () => {
    const { kind, payload } = buildPayload("governance.vote", { proposalId: 1 });
    const tx = signed(keys.v0, 0, kind, payload);
    expect(checkEnvelope(tx, CHAIN_ID)).toEqual({ kind, body: { proposalId: 1 } });
    expect(() => checkEnvelope(tx, "other")).toThrow(
      expect.objectContaining({ type: { code: LedgerErrorCode.WRONG_CHAIN, expected: "other", got: CHAIN_ID } }),
    );
    expect(() => checkEnvelope({ ...tx, kind: "vote" }, CHAIN_ID)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.UNKNOWN_KIND }),
    );
    expect(() => checkEnvelope({ ...tx, sender: new Uint8Array(3) }, CHAIN_ID)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.BAD_ENVELOPE }),
    );
    expect(() => checkEnvelope({ ...tx, payload: new Uint8Array(80 * 1024) }, CHAIN_ID)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.BAD_ENVELOPE }),
    );
    expect(Object.keys(PayloadCodecs)).toHaveLength(TX_KINDS.length);
  });
});
