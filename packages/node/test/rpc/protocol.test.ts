// JSON-RPC 2.0 conformance over HTTP; examples follow section 7 of https://www.jsonrpc.org/specification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Harness, startHarness } from "./harness.js";

type ErrorBody = { jsonrpc: string; id: unknown; error: { code: number; message: string; data: { code: string } } };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxRequestBytes: 64 * 1024, maxBatch: 20 });
});
afterAll(() => h.close());

async function expectError(body: unknown, code: number, dataCode: string, id: unknown = null) {
  const res = await h.post(body);
  const json = res.json as ErrorBody;
  expect(json.jsonrpc).toBe("2.0");
  expect(json.id).toEqual(id);
  expect(json.error.code).toBe(code);
  expect(json.error.data.code).toBe(dataCode);
  expect(typeof json.error.message).toBe("string");
  return { res, json };
}

describe("standard error codes", () => {
  it("-32700 for malformed JSON", async () => {
    const { res } = await expectError(
      '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]',
      -32700,
      "RPC_PARSE_ERROR",
    );
    expect(res.status).toBe(200);
  });

  it("-32700 for an empty body and for bytes that are not UTF-8", async () => {
    await expectError("", -32700, "RPC_PARSE_ERROR");
    const res = await fetch(h.url, { method: "POST", body: new Uint8Array([0x22, 0xff, 0xfe, 0x22]) });
    expect(((await res.json()) as ErrorBody).error.code).toBe(-32700);
  });

  it("-32600 for calls that are not requests", async () => {
    await expectError({ jsonrpc: "2.0", method: 1, params: "bar" }, -32600, "RPC_INVALID_REQUEST");
    await expectError({ jsonrpc: "1.0", id: 7, method: "chain_status" }, -32600, "RPC_INVALID_REQUEST", 7);
    await expectError({ id: 7, method: "chain_status" }, -32600, "RPC_INVALID_REQUEST", 7);
    await expectError({ jsonrpc: "2.0", id: 7, method: "chain_status", params: "x" }, -32600, "RPC_INVALID_REQUEST", 7);
    await expectError(
      { jsonrpc: "2.0", id: 7, method: "chain_status", params: null },
      -32600,
      "RPC_INVALID_REQUEST",
      7,
    );
    await expectError({ jsonrpc: "2.0", id: { a: 1 }, method: "chain_status" }, -32600, "RPC_INVALID_REQUEST");
    await expectError({ jsonrpc: "2.0", id: [1], method: "chain_status" }, -32600, "RPC_INVALID_REQUEST");
    await expectError("1", -32600, "RPC_INVALID_REQUEST");
    await expectError("null", -32600, "RPC_INVALID_REQUEST");
    await expectError('"text"', -32600, "RPC_INVALID_REQUEST");
  });

  it("-32601 for unknown methods, including inherited object keys", async () => {
    for (const method of ["foobar", "__proto__", "constructor", "toString", "rpc.other", ""]) {
      await expectError(call(method, [], "a"), -32601, "RPC_METHOD_NOT_FOUND", "a");
    }
  });

  it("-32602 for wrong types, missing, extra and malformed params, naming the param", async () => {
    const { json } = await expectError(call("block_get", ["one"]), -32602, "RPC_INVALID_PARAMS", 1);
    expect(json.error.message).toContain("height");
    await expectError(call("block_get", []), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("block_get", [-1]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("block_get", [1.5]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("block_get", [1, 2]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("block_get", { height: 1, extra: true }), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("tx_get", ["0x1234"]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("tx_get", ["0xzz"]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("tx_submit", ["0x123"]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("tx_submit", [{ "0x": 1 }]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("account_get", ["hansa1notanaddress"]), -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(call("tx_submitAndWait", ["0x00", 10 ** 9]), -32602, "RPC_INVALID_PARAMS", 1);
    const issues = (await h.post(call("block_get", ["one"]))).json as { error: { data: { issues: unknown[] } } };
    expect(issues.error.data.issues[0]).toMatchObject({ path: ["height"] });
  });

  it("-32603 for a failure inside the node, without its details", async () => {
    h.api.brokenPeers = true;
    try {
      const { json } = await expectError(call("net_peers"), -32603, "RPC_INTERNAL", 1);
      expect(json.error.message).not.toContain("corrupted");
    } finally {
      h.api.brokenPeers = false;
    }
  });

  it("application errors carry the Hansa code and metadata", async () => {
    const { json } = await expectError(call("block_get", [999]), -32001, "NOT_FOUND", 1);
    expect(json.error.data).toMatchObject({ what: "block", id: "999" });
  });
});

describe("requests and notifications", () => {
  it("answers by position and by name, echoing string and number ids", async () => {
    const a = await h.post(call("chain_validators", [], "x-1"));
    const b = await h.post(call("chain_validators", { height: 1 }, 42));
    expect(a.json).toMatchObject({ jsonrpc: "2.0", id: "x-1", result: { height: 1 } });
    expect(b.json).toMatchObject({ jsonrpc: "2.0", id: 42, result: { height: 1 } });
    const c = await h.post(call("chain_status", undefined, null));
    expect(c.json).toMatchObject({ id: null, result: { chainId: "test-chain" } });
  });

  it("a null in an optional positional slot means not given", async () => {
    const res = await h.post(call("chain_validators", [null]));
    expect(res.json).toMatchObject({ result: { height: 1 } });
  });

  it("a notification gets no body (204), even when it fails", async () => {
    for (const body of [
      { jsonrpc: "2.0", method: "chain_status" },
      { jsonrpc: "2.0", method: "nope" },
      { jsonrpc: "2.0", method: "block_get", params: ["bad"] },
    ]) {
      const res = await h.post(body);
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
    }
  });
});

describe("batches", () => {
  it("answers mixed valid and invalid calls in one array, skipping notifications", async () => {
    const res = await h.post([
      call("chain_status", [], "1"),
      { jsonrpc: "2.0", method: "chain_status" },
      call("block_get", ["bad"], "2"),
      { foo: "boo" },
      call("get_data", [], "9"),
      1,
    ]);
    const answers = res.json as ErrorBody[];
    expect(res.status).toBe(200);
    expect(answers).toHaveLength(5);
    expect(answers[0]).toMatchObject({ id: "1", result: { chainId: "test-chain" } });
    expect(answers.slice(1).map((a) => [a.id, a.error.code])).toEqual([
      ["2", -32602],
      [null, -32600],
      ["9", -32601],
      [null, -32600],
    ]);
  });

  it("a batch of only notifications gets no body at all", async () => {
    const res = await h.post([
      { jsonrpc: "2.0", method: "chain_status" },
      { jsonrpc: "2.0", method: "mempool_status", params: [] },
    ]);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
  });

  it("an empty batch is one invalid request", async () => {
    const { json } = await expectError([], -32600, "RPC_INVALID_REQUEST");
    expect(Array.isArray(json)).toBe(false);
  });

  it("a batch over maxBatch is refused whole with a clear message", async () => {
    const { json } = await expectError(
      Array.from({ length: 21 }, (_, i) => call("chain_status", [], i)),
      -32600,
      "RPC_BATCH_TOO_LARGE",
    );
    expect(json.error.message).toContain("limit of 20");
  });
});

describe("hostile input", () => {
  it("refuses an oversize body with 413 and a JSON-RPC error", async () => {
    const big = JSON.stringify(call("tx_submit", [`0x${"00".repeat(40_000)}`]));
    const { res, json } = await expectError(big, -32600, "RPC_REQUEST_TOO_LARGE");
    expect(res.status).toBe(413);
    expect(json.error.message).toContain("65536 bytes");
    // The server stays up.
    expect((await h.post(call("chain_status"))).status).toBe(200);
  });

  it("refuses an oversize chunked body (no Content-Length) too", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(h.url, { method: "POST", body, duplex: "half" } as RequestInit).catch(() => undefined);
    // The server may close before the client finishes sending; either way it must not accept the body.
    if (res) expect(res.status).toBe(413);
    expect((await h.post(call("chain_status"))).status).toBe(200);
  });

  it("survives deep nesting in params, ids and batches", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    await expectError(`{"jsonrpc":"2.0","id":1,"method":"tx_get","params":${deep}}`, -32602, "RPC_INVALID_PARAMS", 1);
    await expectError(`{"jsonrpc":"2.0","id":${deep},"method":"chain_status"}`, -32600, "RPC_INVALID_REQUEST");
    // A batch of one call that is itself an array: one invalid request inside an array answer.
    const batch = (await h.post(deep)).json as ErrorBody[];
    expect(batch.map((a) => [a.id, a.error.code])).toEqual([[null, -32600]]);
    const deepObj = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    await expectError(
      `{"jsonrpc":"2.0","id":1,"method":"block_get","params":${deepObj}}`,
      -32602,
      "RPC_INVALID_PARAMS",
      1,
    );
  });

  it("survives huge arrays in params and batches", async () => {
    const many = `[${Array.from({ length: 20_000 }, () => "0").join(",")}]`;
    await expectError(
      `{"jsonrpc":"2.0","id":1,"method":"block_get","params":${many}}`,
      -32602,
      "RPC_INVALID_PARAMS",
      1,
    );
    await expectError(many, -32600, "RPC_BATCH_TOO_LARGE");
  });

  it("answers non-POST methods on / with 405 and a JSON-RPC error", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const res = await fetch(h.url, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(((await res.json()) as ErrorBody).error.code).toBe(-32600);
    }
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(`${h.url}/nowhere`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});

describe("health and metrics", () => {
  it("GET /health returns JSON", async () => {
    const res = await fetch(`${h.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ status: "ok", height: h.api.height, syncing: false, peers: 3 });
  });

  it("GET /metrics returns Prometheus text with RPC latency by method", async () => {
    await h.post(call("chain_status"));
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("# TYPE hansa_rpc_request_duration_seconds histogram");
    expect(text).toMatch(/hansa_rpc_request_duration_seconds_count\{method="chain_status"\} \d+/);
    expect(text).toMatch(/hansa_rpc_errors_total\{method="unknown",code="RPC_METHOD_NOT_FOUND"\} \d+/);
    for (const name of ["hansa_height", "hansa_peers", "hansa_mempool_size", "hansa_committed_txs_total"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // Gauges NodeApi can read are refreshed at scrape time.
    expect(text).toContain(`hansa_height ${h.api.height}`);
    expect(text).toContain("hansa_peers 3");
  });
});
