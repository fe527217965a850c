import { HansaError } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { LedgerErrorCode } from "../../src/ledger/errors.js";
import { MEMPOOL_ERROR_CODES } from "../../src/mempool/errors.js";
import {
  GENERIC_APPLICATION_ERROR,
  RPC_ERROR_CODES,
  RPC_METHODS,
  rpcCodeFor,
  toJsonRpcError,
} from "../../src/rpc/index.js";

const STANDARD = new Set([-32700, -32600, -32601, -32602, -32603]);

describe("error-codes table", () => {
  it("maps every code to a standard code or one in the server range -32000..-32099", () => {
    for (const [name, code] of Object.entries(RPC_ERROR_CODES)) {
      expect(STANDARD.has(code) || (code <= -32000 && code >= -32099), name).toBe(true);
    }
  });

  it("has a row for every mempool code and lands every ledger code in a ledger group", () => {
    for (const code of MEMPOOL_ERROR_CODES) expect(Object.hasOwn(RPC_ERROR_CODES, code), code).toBe(true);
    for (const code of Object.values(LedgerErrorCode)) {
      const rpc = rpcCodeFor(code);
      expect(rpc <= -32000 && rpc >= -32099, code).toBe(true);
    }
  });

  it("falls back by domain prefix, then to the generic application code", () => {
    expect(rpcCodeFor("LEDGER_NONCE_STALE")).toBe(-32020);
    expect(rpcCodeFor("LEDGER_SOMETHING_NEW")).toBe(-32039);
    expect(rpcCodeFor("MEMPOOL_SOMETHING_NEW")).toBe(-32049);
    expect(rpcCodeFor("ENCODING_SOMETHING_NEW")).toBe(-32010);
    expect(rpcCodeFor("GENESIS_INVALID")).toBe(GENERIC_APPLICATION_ERROR);
    expect(rpcCodeFor("toString")).toBe(GENERIC_APPLICATION_ERROR);
  });

  it("documents only codes the table knows", () => {
    for (const m of RPC_METHODS) {
      for (const code of m.errors) expect(Object.hasOwn(RPC_ERROR_CODES, code), `${m.name}: ${code}`).toBe(true);
    }
  });

  it("keeps a HansaError's message and JSON-safe metadata, with the code string in data", () => {
    const err = new HansaError(
      { code: "SOMETHING_ELSE", hash: new Uint8Array([1, 2]), big: 10n, nested: { a: [1] }, fn: () => 1 },
      "custom failure",
    );
    expect(toJsonRpcError(err)).toEqual({
      code: GENERIC_APPLICATION_ERROR,
      message: "custom failure",
      data: { code: "SOMETHING_ELSE", hash: "0x0102", big: "10", nested: { a: [1] } },
    });
  });

  it("hides anything that is not a HansaError behind -32603", () => {
    for (const thrown of [new Error("secret path /etc"), "a string", undefined, { code: "FAKE" }]) {
      expect(toJsonRpcError(thrown)).toEqual({
        code: -32603,
        message: "internal error",
        data: { code: "RPC_INTERNAL" },
      });
    }
  });
});
