import { describe, expect, it } from "vitest";
import { runSchedules } from "./harness.js";

// The bulk of the schedules use a cheap stand-in signature for speed; these use production Ed25519 from
// @hansa/core end to end (signing, verification, commit certificates, evidence).
describe("simulation with real Ed25519 signatures", () => {
  it("keeps every invariant with 4 validators", () => {
    expect(runSchedules(4, 900_000, 6, { realCrypto: true })).toEqual([]);
  }, 120_000);

  it("keeps every invariant with 7 validators", () => {
    expect(runSchedules(7, 900_100, 3, { realCrypto: true })).toEqual([]);
  }, 120_000);
});
