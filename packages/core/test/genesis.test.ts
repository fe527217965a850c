// Genesis: the JSON form round trips, and validation names what is wrong.
import {
  bytesTo0x,
  DEFAULT_CONSENSUS_PARAMS,
  decodeGenesis,
  encodeGenesis,
  GenesisError,
  type GenesisJson,
  genesisFromJson,
  genesisHash,
  genesisToJson,
  getPublicKey,
  validateGenesis,
} from "@hansa/core";
import { describe, expect, it } from "vitest";
import { expectCode, sampleGenesis, secretKey } from "./helpers.js";

const json = (): GenesisJson => JSON.parse(JSON.stringify(genesisToJson(sampleGenesis())));

function invalid(j: unknown, reason: RegExp): void {
  const err = expectCode(() => genesisFromJson(j), "GENESIS_INVALID");
  expect(err).toBeInstanceOf(GenesisError);
  expect((err as GenesisError).type.reason).toMatch(reason);
}

describe("genesis JSON", () => {
  it("round trips through JSON text, and the hash is of the canonical CBOR", () => {
    const genesis = sampleGenesis();
    const text = JSON.stringify(genesisToJson(genesis), null, 2);
    const back = genesisFromJson(JSON.parse(text));
    expect(back).toEqual(genesis);
    expect(genesisHash(back)).toEqual(genesisHash(genesis));
    expect(decodeGenesis(encodeGenesis(back))).toEqual(genesis);
  });

  it("writes bytes as 0x-hex", () => {
    const j = json();
    expect(j.validators[0]!.publicKey).toBe(bytesTo0x(getPublicKey(secretKey(100))));
    expect(j.validators[0]!.publicKey).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("fills missing consensus parameters with the defaults", () => {
    const j = json() as unknown as { consensusParams: Partial<GenesisJson["consensusParams"]> };
    j.consensusParams = { timeoutProposeMs: 2000 };
    const genesis = genesisFromJson(j);
    expect(genesis.consensusParams).toEqual({ ...DEFAULT_CONSENSUS_PARAMS, timeoutProposeMs: 2000 });
  });

  it("a different genesis has a different hash", () => {
    const j = json();
    j.genesisTime += 1;
    expect(genesisHash(genesisFromJson(j))).not.toEqual(genesisHash(sampleGenesis()));
  });

  describe("validation errors, all GENESIS_INVALID with the reason", () => {
    it("duplicate validator key", () => {
      const j = json();
      j.validators[1]!.publicKey = j.validators[0]!.publicKey;
      invalid(j, /appears twice/);
    });

    it("zero power", () => {
      const j = json();
      j.validators[2]!.power = 0;
      invalid(j, /positive integer power/);
    });

    it("no validators", () => {
      const j = json();
      j.validators = [];
      invalid(j, /empty/);
    });

    it("duplicate organization", () => {
      const j = json();
      j.organizations[1]!.id = j.organizations[0]!.id;
      invalid(j, /organization acme appears twice/);
    });

    it("member in two organizations", () => {
      const j = json();
      j.organizations[1]!.members.push({ ...j.organizations[0]!.members[0]!, roles: ["writer"] });
      invalid(j, /more than one organization/);
    });

    it.each([
      ["a zero propose timeout", { timeoutProposeMs: 0 }, /timeouts must be positive/],
      ["a zero prevote timeout", { timeoutPrevoteMs: 0 }, /timeouts must be positive/],
      ["a zero precommit timeout", { timeoutPrecommitMs: 0 }, /timeouts must be positive/],
      ["a cap below a base timeout", { timeoutCapMs: 999 }, /timeoutCapMs/],
      ["a negative timeout", { timeoutDeltaMs: -1 }, /unsigned integer/],
      ["a fractional timeout", { timeoutCommitMs: 0.5 }, /unsigned integer/],
      ["zero block size", { maxBlockBytes: 0 }, /block limits/],
      ["zero block transactions", { maxBlockTxs: 0 }, /block limits/],
    ])("bad consensus parameters: %s", (_name, patch, reason) => {
      const j = json();
      j.consensusParams = { ...j.consensusParams, ...patch };
      invalid(j, reason);
    });

    it.each([
      ["a chain id with upper case", (j: GenesisJson) => (j.chainId = "Hansa")],
      ["an organization id with a space", (j: GenesisJson) => (j.organizations[0]!.id = "acme corp")],
      ["an unknown role", (j: GenesisJson) => (j.organizations[0]!.members[0]!.roles = ["owner" as "admin"])],
      ["a public key that is not hex", (j: GenesisJson) => (j.validators[0]!.publicKey = "0xnothex")],
      ["a public key of 31 bytes", (j: GenesisJson) => (j.validators[0]!.publicKey = `0x${"ab".repeat(31)}`)],
      ["a missing validators list", (j: GenesisJson) => delete (j as Partial<GenesisJson>).validators],
    ])("schema: %s", (_name, mutate) => {
      const j = json();
      mutate(j);
      expectCode(() => genesisFromJson(j), "GENESIS_INVALID");
    });

    it("not an object at all", () => {
      expectCode(() => genesisFromJson(null), "GENESIS_INVALID");
      expectCode(() => genesisFromJson("genesis"), "GENESIS_INVALID");
    });
  });

  it("validateGenesis accepts the sample and refuses what genesisFromJson refuses", () => {
    expect(() => validateGenesis(sampleGenesis())).not.toThrow();
    const g = sampleGenesis();
    g.organizations.push({ ...g.organizations[0]!, name: "again" });
    expectCode(() => validateGenesis(g), "GENESIS_INVALID");
  });
});
