import type { Validator } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { applyValidatorChange, LedgerErrorCode, toleratedFailures } from "../../src/ledger/index.js";
import { testKey } from "./helpers.js";

const v = (name: string, power: number): Validator => ({ name, publicKey: testKey(name).publicKey, power });
const set = (...powers: number[]) => powers.map((p, i) => v(`v${i}`, p));

describe("toleratedFailures", () => {
  // f = floor((total - 1) / 3) of the power may fail; count how many of the largest validators fit in it.
  const table: [string, number[], number][] = [
    ["one validator", [10], 0],
    ["three equal", [1, 1, 1], 0],
    ["four equal", [1, 1, 1, 1], 1],
    ["six equal", [1, 1, 1, 1, 1, 1], 1],
    ["seven equal", [1, 1, 1, 1, 1, 1, 1], 2],
    ["ten equal", new Array(10).fill(5), 3],
    ["one heavy of four", [100, 10, 10, 10], 0],
    ["slightly uneven four", [12, 10, 10, 10], 1],
    ["heavy pair", [30, 30, 1, 1, 1, 1], 0],
  ];
  for (const [desc, powers, expected] of table) {
    it(`${desc}: ${expected}`, () => expect(toleratedFailures(set(...powers))).toBe(expected));
  }
});

describe("applyValidatorChange", () => {
  const base = set(10, 10, 10, 10);
  it("adds at the end, removes in place and sets power in place", () => {
    const added = applyValidatorChange(base, { op: "add", name: "new", publicKey: testKey("new").publicKey, power: 3 });
    expect(added.map((x) => [x.name, x.power])).toEqual([
      ["v0", 10],
      ["v1", 10],
      ["v2", 10],
      ["v3", 10],
      ["new", 3],
    ]);
    const removed = applyValidatorChange(base, { op: "remove", name: "", publicKey: base[1]!.publicKey, power: 0 });
    expect(removed.map((x) => x.name)).toEqual(["v0", "v2", "v3"]);
    const powered = applyValidatorChange(base, { op: "set_power", name: "", publicKey: base[2]!.publicKey, power: 7 });
    expect(powered.map((x) => x.power)).toEqual([10, 10, 7, 10]);
    expect(base.map((x) => x.power)).toEqual([10, 10, 10, 10]);
  });

  it("refuses changes that do not apply, with one code", () => {
    const err = expect.objectContaining({ code: LedgerErrorCode.INVALID_VALIDATOR_CHANGE });
    expect(() =>
      applyValidatorChange(base, { op: "add", name: "dup", publicKey: base[0]!.publicKey, power: 1 }),
    ).toThrow(err);
    const stranger = testKey("stranger").publicKey;
    expect(() => applyValidatorChange(base, { op: "remove", name: "", publicKey: stranger, power: 0 })).toThrow(err);
    expect(() => applyValidatorChange(base, { op: "set_power", name: "", publicKey: stranger, power: 1 })).toThrow(err);
    expect(() =>
      applyValidatorChange(set(1), { op: "remove", name: "", publicKey: v("v0", 1).publicKey, power: 0 }),
    ).toThrow(err);
  });
});
