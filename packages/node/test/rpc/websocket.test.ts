import { bytesTo0x, transactionHash } from "@hansa/core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { generateSecretKey, type Harness, signedTx, startHarness } from "./harness.js";
import { TestSocket } from "./ws-client.js";

let h: Harness;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  h = await startHarness({ maxSubscriptionsPerConnection: 3, maxRequestBytes: 32 * 1024 });
  for (let i = 0; i < 3; i++) h.api.commitBlock();
});
afterAll(() => h.close());
afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  await vi.waitFor(() => expect(h.api.listenerCount).toBe(0));
});

async function open(path = ""): Promise<TestSocket> {
  const s = await TestSocket.open(`${h.server.wsUrl}${path}`);
  sockets.push(s);
  return s;
}

function heights(updates: unknown[]): number[] {
  return updates.map((u) => (u as { header: { height: number } }).header.height);
}

describe("newBlocks", () => {
  it("replays from a height, then follows; the id arrives before any update", async () => {
    const s = await open();
    const answer = await s.request("subscribe", ["newBlocks", { fromHeight: 2 }]);
    const id = answer.result as string;
    expect(typeof id).toBe("string");
    expect(s.messages[0]).toBe(answer);
    expect(heights(await s.updates(id, 2))).toEqual([2, 3]);
    h.api.commitBlock();
    h.api.commitBlock();
    const all = await s.updates(id, 4);
    expect(heights(all)).toEqual([2, 3, 4, 5]);
    const first = all[0] as { hash: string; header: { height: number }; txHashes: string[] };
    expect(first.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(Array.isArray(first.txHashes)).toBe(true);
  });

  it("without fromHeight follows only new blocks", async () => {
    const s = await open("/ws");
    const id = (await s.request("subscribe", { topic: "newBlocks" })).result as string;
    const next = h.api.height + 1;
    h.api.commitBlock();
    expect(heights(await s.updates(id, 1))).toEqual([next]);
  });

  it("unsubscribe stops updates and reports whether the id existed", async () => {
    const s = await open();
    const id = (await s.request("subscribe", ["newBlocks"])).result as string;
    expect(h.api.listenerCount).toBe(1);
    expect((await s.request("unsubscribe", [id])).result).toBe(true);
    expect(h.api.listenerCount).toBe(0);
    h.api.commitBlock();
    // A round trip after the commit: any update would have arrived before this answer.
    expect((await s.request("unsubscribe", [id])).result).toBe(false);
    expect(s.updatesSoFar(id)).toEqual([]);
  });

  it("closing the connection ends its subscriptions", async () => {
    const s = await open();
    await s.request("subscribe", ["newBlocks"]);
    await s.request("subscribe", ["newBlocks", { fromHeight: 1 }]);
    expect(h.api.listenerCount).toBe(2);
    s.ws.terminate();
    await vi.waitFor(() => expect(h.api.listenerCount).toBe(0));
  });
});

describe("tx", () => {
  it("follows a transaction from pending to committed, then ends", async () => {
    const encoded = signedTx(generateSecretKey(), 0);
    const hash = bytesTo0x(transactionHash(encoded));
    await h.post({ jsonrpc: "2.0", id: 1, method: "tx_submit", params: [bytesTo0x(encoded)] });
    const s = await open();
    const id = (await s.request("subscribe", ["tx", { hash }])).result as string;
    expect(await s.updates(id, 1)).toMatchObject([{ status: "pending", hash }]);
    h.api.commitBlock();
    const updates = await s.updates(id, 2);
    expect(updates[1]).toMatchObject({ status: "committed", hash, height: h.api.height });
    await vi.waitFor(() => expect(h.api.listenerCount).toBe(0));
    expect((await s.request("unsubscribe", [id])).result).toBe(false);
  });

  it("an already final status is delivered once and the subscription ends", async () => {
    const encoded = signedTx(generateSecretKey(), 0);
    await h.post({ jsonrpc: "2.0", id: 1, method: "tx_submit", params: [bytesTo0x(encoded)] });
    h.api.commitBlock();
    const s = await open();
    const id = (await s.request("subscribe", ["tx", { hash: bytesTo0x(transactionHash(encoded)) }])).result as string;
    expect(await s.updates(id, 1)).toMatchObject([{ status: "committed" }]);
    expect(h.api.listenerCount).toBe(0);
  });

  it("an unknown hash is NOT_FOUND", async () => {
    const s = await open();
    const answer = await s.request("subscribe", ["tx", { hash: `0x${"11".repeat(32)}` }]);
    expect(answer.error).toMatchObject({ code: -32001, data: { code: "NOT_FOUND" } });
  });
});

describe("protocol over WebSocket", () => {
  it("checks options against the topic", async () => {
    const s = await open();
    for (const params of [["tx", {}], ["tx"], ["newBlocks", { hash: `0x${"11".repeat(32)}` }], ["blocks", {}]]) {
      expect((await s.request("subscribe", params)).error).toMatchObject({ code: -32602 });
    }
  });

  it("limits subscriptions per connection", async () => {
    const s = await open();
    for (let i = 0; i < 3; i++) expect((await s.request("subscribe", ["newBlocks"])).result).toBeTypeOf("string");
    const answer = await s.request("subscribe", ["newBlocks"]);
    expect(answer.error).toMatchObject({ code: -32051, data: { code: "RPC_TOO_MANY_SUBSCRIPTIONS", limit: 3 } });
  });

  it("answers batches and parse errors, and stays silent for notifications", async () => {
    const s = await open();
    s.send("{not json");
    expect((await s.waitFor(() => true)).error).toMatchObject({ code: -32700 });
    s.send({ jsonrpc: "2.0", method: "chain_status" });
    s.send([
      { jsonrpc: "2.0", id: "a", method: "chain_status" },
      { jsonrpc: "2.0", method: "chain_status" },
    ]);
    const batch = await s.waitFor((m) => Array.isArray(m));
    expect(batch).toMatchObject([{ id: "a", result: { chainId: "test-chain" } }]);
    expect(s.messages).toHaveLength(2);
  });

  it("closes the connection on a message over the size limit (1009)", async () => {
    const s = await open();
    const code = await new Promise<number>((resolve) => {
      s.ws.once("close", (c) => resolve(c));
      s.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tx_submit", params: [`0x${"00".repeat(20_000)}`] }));
    });
    expect(code).toBe(1009);
  });

  it("refuses upgrades on other paths", async () => {
    const ws = new WebSocket(`${h.server.wsUrl}/other`);
    const status = await new Promise<number>((resolve) => {
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("error", () => resolve(-1));
    });
    expect(status).toBe(404);
  });
});
