import { bytesTo0x, getPublicKey, transactionHash, utf8ToBytes } from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HansaClient, isRpcError, RpcError, RpcTransportError } from "../../src/client/index.js";
import { RpcServer } from "../../src/rpc/index.js";
import type { NewBlockJson } from "../../src/rpc/types.js";
import { generateSecretKey, type Harness, signedTx, startHarness } from "../rpc/harness.js";

let h: Harness;
let client: HansaClient;

beforeAll(async () => {
  h = await startHarness();
  client = new HansaClient(h.url);
});
afterAll(() => h.close());

describe("typed calls", () => {
  it("reads chain, blocks, validators, mempool, peers and the OpenRPC document", async () => {
    h.api.commitBlock();
    const status = await client.chainStatus();
    expect(status).toMatchObject({ chainId: "test-chain", height: h.api.height });
    const block = await client.blockGet("latest");
    expect(block.header.height).toBe(h.api.height);
    expect(await client.blockGetByHash(block.hash)).toEqual(block);
    expect((await client.chainValidators()).validators).toHaveLength(1);
    expect(await client.mempoolStatus()).toMatchObject({ size: 0 });
    expect(await client.netPeers()).toHaveLength(1);
    expect(await client.discover()).toMatchObject({ openrpc: expect.any(String) });
    expect((await client.stateHistory("ns", "k")).versions).toEqual([]);
    expect((await client.stateGet("ns", "k")).value).toBeNull();
  });

  it("throws RpcError with the JSON-RPC code and the Hansa code", async () => {
    const err = await client.blockGet(10_000).catch((e: unknown) => e);
    expect(isRpcError(err)).toBe(true);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: -32001, reason: "NOT_FOUND", data: { code: "NOT_FOUND", what: "block" } });
    const bad = await client.call("block_get", [-1 as number]).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: -32602, reason: "RPC_INVALID_PARAMS" });
  });

  it("throws RpcTransportError when the server is unreachable or does not speak JSON-RPC", async () => {
    const stopped = new RpcServer({ port: 0 }, { api: h.api });
    await stopped.start();
    const url = stopped.url;
    await stopped.stop();
    const unreachable = await new HansaClient(url).chainStatus().catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(RpcTransportError);
    expect(unreachable).toMatchObject({ code: "RPC_TRANSPORT" });
    const notRpc = await new HansaClient(`${h.url}/health`).chainStatus().catch((e: unknown) => e);
    expect(notRpc).toBeInstanceOf(RpcTransportError);
  });
});

describe("submit helpers", () => {
  it("submit signs with the node's chain id and next pending nonce", async () => {
    const key = generateSecretKey();
    const first = await client.submit("record.put", utf8ToBytes("a"), key);
    const second = await client.submit("record.put", utf8ToBytes("b"), key);
    expect([first.nonce, second.nonce]).toEqual([0, 1]);
    const pending = await client.txGet(first.hash);
    expect(pending).toMatchObject({
      status: "pending",
      tx: { sender: bytesTo0x(getPublicKey(key)), chainId: "test-chain" },
    });
    h.api.commitBlock();
    expect(await client.txGet(second.hash)).toMatchObject({ status: "committed", index: 1 });
    const account = await client.accountGet(getPublicKey(key));
    expect(account).toMatchObject({ nonce: 2, pendingNonce: 2 });
  });

  it("submitAndWait returns the committed receipt", async () => {
    const key = generateSecretKey();
    const waiting = client.submitAndWait("record.put", utf8ToBytes("c"), key, { timeoutMs: 10_000 });
    await vi.waitFor(() => expect(h.api.pending).toHaveLength(1));
    h.api.commitBlock();
    expect(await waiting).toMatchObject({ status: "committed", height: h.api.height, receipt: { ok: true } });
  });

  it("an explicit nonce is used as given, and refusals surface as RpcError", async () => {
    const key = generateSecretKey();
    const err = await client.submit("record.put", utf8ToBytes("d"), key, { nonce: 3 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -32021, reason: "LEDGER_NONCE_GAP" });
  });

  it("txSubmit and txSubmitAndWait accept bytes or hex", async () => {
    const key = generateSecretKey();
    const tx = signedTx(key, 0);
    expect(await client.txSubmit(bytesTo0x(tx))).toEqual({ hash: bytesTo0x(transactionHash(tx)) });
    const timeout = await client.txSubmitAndWait(signedTx(key, 1), 10).catch((e: unknown) => e);
    expect(timeout).toMatchObject({ reason: "TIMEOUT" });
    h.api.commitBlock();
  });
});

describe("subscribeBlocks", () => {
  it("replays from a height, follows, and resumes after a reconnect without gaps or repeats", async () => {
    const api = h.api;
    const server = new RpcServer({ port: 0 }, { api });
    await server.start();
    const port = server.port;
    const seen: number[] = [];
    const errors: unknown[] = [];
    const sub = new HansaClient(server.url).subscribeBlocks((b: NewBlockJson) => void seen.push(b.header.height), {
      fromHeight: 1,
      reconnectDelayMs: 10,
      onError: (e) => errors.push(e),
    });
    try {
      await sub.ready;
      await vi.waitFor(() => expect(seen).toHaveLength(api.height));
      api.commitBlock();
      await vi.waitFor(() => expect(seen).toHaveLength(api.height));

      // The server goes away; blocks keep committing; a new server comes up on the same port.
      await server.stop();
      api.commitBlock();
      api.commitBlock();
      const again = new RpcServer({ port }, { api });
      await again.start();
      try {
        await vi.waitFor(() => expect(seen).toHaveLength(api.height), { timeout: 10_000 });
        api.commitBlock();
        await vi.waitFor(() => expect(seen).toHaveLength(api.height));
        expect(seen).toEqual(Array.from({ length: api.height }, (_, i) => i + 1));
        expect(sub.next).toBe(api.height + 1);
      } finally {
        sub.close();
        await again.stop();
      }
    } finally {
      sub.close();
    }
  });
});
