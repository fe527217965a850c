import { bytesTo0x, encode, encodeTransaction, generateSecretKey, signTransaction, utf8ToBytes } from "@hansa/core";
import { ledger } from "@hansa/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCommittedEverywhere, expectEachCommittedOnce } from "../support/invariants.js";
import { errorReports } from "../support/logs.js";
import { abandonRequest, call, type RawError, rawError, rawPost } from "../support/raw-rpc.js";
import { type E2eAccount, E2eTestnet } from "../support/testnet.js";
import { createNamespace, recordPut } from "../support/txs.js";
import { waitFor } from "../support/wait.js";

const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_BATCH = 20;

/** The address with its last character changed, so only its bech32m checksum is wrong. */
function brokenChecksum(address: string | undefined): string {
  if (!address) throw new Error("no address");
  return `${address.slice(0, -1)}${address.endsWith("q") ? "p" : "q"}`;
}

/**
 * Malformed and hostile JSON-RPC input against a running validator: each gets its documented error code
 * (docs/rpc.md), none takes the node down or makes it log an error, and it keeps committing blocks.
 */
describe("hostile JSON-RPC input to a hansa process", { timeout: 90_000 }, () => {
  let net: E2eTestnet;
  let url: string;
  let chainId: string;
  let org1: E2eAccount;
  let org2: E2eAccount;
  /** org1's next nonce; org1 owns the namespace "docs". */
  let nonce: number;

  beforeAll(async () => {
    // The limits are set low in config.json so the oversize cases stay cheap, and to check they apply.
    net = await E2eTestnet.create({
      label: "rpc-hostile",
      validators: 2,
      config: { rpc: { maxRequestBytes: MAX_REQUEST_BYTES, maxBatch: MAX_BATCH } },
    });
    await net.start();
    url = net.node(0).node.rpcUrl;
    chainId = net.layout.chainId;
    org1 = net.account(0);
    org2 = net.account(1);
    nonce = await createNamespace(net.node(0).client, chainId, org1, "docs");
  }, 60_000);

  afterAll(async () => {
    await net?.destroy();
  });

  const expectError = async (body: string | Uint8Array, code: number, dataCode: string): Promise<RawError> => {
    const { status, error } = await rawError(url, body);
    expect(status).toBe(200);
    expect({ code: error.code, dataCode: error.data.code }).toEqual({ code, dataCode });
    return error;
  };

  it("answers bodies that are not JSON with -32700 and non-requests with -32600", async () => {
    const cases: { desc: string; body: string | Uint8Array; code: number; dataCode: string }[] = [
      { desc: "truncated JSON", body: '{"jsonrpc":"2.0","id":1,', code: -32700, dataCode: "RPC_PARSE_ERROR" },
      { desc: "not JSON at all", body: "GET me a block", code: -32700, dataCode: "RPC_PARSE_ERROR" },
      {
        desc: "invalid UTF-8",
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        code: -32700,
        dataCode: "RPC_PARSE_ERROR",
      },
      { desc: "empty body", body: "", code: -32700, dataCode: "RPC_PARSE_ERROR" },
      { desc: "empty batch", body: "[]", code: -32600, dataCode: "RPC_INVALID_REQUEST" },
      { desc: "a bare number", body: "42", code: -32600, dataCode: "RPC_INVALID_REQUEST" },
      { desc: "null", body: "null", code: -32600, dataCode: "RPC_INVALID_REQUEST" },
      {
        desc: "wrong jsonrpc version",
        body: '{"jsonrpc":"1.0","id":1,"method":"chain_status"}',
        code: -32600,
        dataCode: "RPC_INVALID_REQUEST",
      },
      { desc: "method not a string", body: call(42), code: -32600, dataCode: "RPC_INVALID_REQUEST" },
      {
        desc: "id an object",
        body: call("chain_status", [], { evil: true }),
        code: -32600,
        dataCode: "RPC_INVALID_REQUEST",
      },
      { desc: "params a string", body: call("chain_status", "all"), code: -32600, dataCode: "RPC_INVALID_REQUEST" },
    ];
    for (const c of cases) {
      const { error, id } = await rawError(url, c.body);
      expect({ desc: c.desc, code: error.code, dataCode: error.data.code }).toEqual({
        desc: c.desc,
        code: c.code,
        dataCode: c.dataCode,
      });
      if (c.desc === "wrong jsonrpc version") expect(id).toBe(1);
    }
  });

  it("answers unknown methods with -32601 and wrong params with -32602 and their issues", async () => {
    for (const method of ["chain_stats", "__proto__", "constructor", "toString", "x".repeat(10_000)]) {
      const error = await expectError(call(method, []), -32601, "RPC_METHOD_NOT_FOUND");
      expect(error.message.length).toBeLessThan(200);
    }
    const invalid: { desc: string; body: string }[] = [
      { desc: "height as text", body: call("block_get", ["tall"]) },
      { desc: "negative height", body: call("block_get", [-1]) },
      { desc: "fractional height", body: call("block_get", [1.5]) },
      { desc: "missing height", body: call("block_get", []) },
      { desc: "extra positional param", body: call("chain_status", [1]) },
      { desc: "unknown named param", body: call("block_get", { heigth: 1 }) },
      { desc: "short hash", body: call("tx_get", ["0x1234"]) },
      { desc: "query object as hash", body: call("tx_get", [{ $ne: null }]) },
      { desc: "hex that is not hex", body: call("tx_submit", ["0xzz"]) },
      { desc: "history page too large", body: call("state_history", ["docs", "k", { limit: 5000 }]) },
      { desc: "not an address", body: call("account_get", ["hansa1notanaddress"]) },
      {
        desc: "address with a broken checksum",
        body: call("account_get", [brokenChecksum(net.layout.accounts[0]?.address)]),
      },
      {
        desc: "deeply nested param",
        body: `{"jsonrpc":"2.0","id":1,"method":"block_get","params":[${"[".repeat(5000)}${"]".repeat(5000)}]}`,
      },
    ];
    for (const c of invalid) {
      const { error } = await rawError(url, c.body);
      expect({ desc: c.desc, code: error.code, dataCode: error.data.code }).toEqual({
        desc: c.desc,
        code: -32602,
        dataCode: "RPC_INVALID_PARAMS",
      });
      expect(Array.isArray(error.data.issues) && error.data.issues.length > 0, c.desc).toBe(true);
    }
    await expectError(call("block_get", [10_000_000]), -32001, "NOT_FOUND");
    await expectError(call("tx_get", [bytesTo0x(new Uint8Array(32))]), -32001, "NOT_FOUND");
    await expectError(call("subscribe", ["newBlocks", {}]), -32050, "RPC_WEBSOCKET_REQUIRED");
    await expectError(call("state_get", ["no-such-namespace", "k"]), -32001, "LEDGER_UNKNOWN_NAMESPACE");
    await expectError(call("state_history", ["no-such-namespace", "k"]), -32001, "LEDGER_UNKNOWN_NAMESPACE");
  });

  it("refuses hostile transactions, each with its own code", async () => {
    const submit = (tx: string | Uint8Array) => call("tx_submit", [typeof tx === "string" ? tx : bytesTo0x(tx)]);
    const put = (value: Uint8Array) =>
      encode(ledger.PayloadCodecs["record.put"], { namespace: "docs", key: "k", value });
    const sign = (kind: string, payload: Uint8Array, key = org1.secretKey, chain = chainId, n = nonce) =>
      encodeTransaction(signTransaction({ chainId: chain, nonce: n, kind, payload }, key));

    // Bytes that are no transaction: the exact ENCODING_* code depends on where decoding fails; all are -32010.
    for (const bytes of [new Uint8Array(0), new Uint8Array(200).fill(0xa5), utf8ToBytes("{}")]) {
      const { error } = await rawError(url, submit(bytes));
      expect(error.code).toBe(-32010);
      expect(error.data.code).toMatch(/^(ENCODING_|MEMPOOL_MALFORMED$)/);
    }

    await expectError(
      submit(sign("record.put", put(utf8ToBytes("v")), org1.secretKey, "other-chain")),
      -32012,
      "MEMPOOL_WRONG_CHAIN",
    );

    const forged = signTransaction(
      { chainId, nonce, kind: "record.put", payload: put(utf8ToBytes("v")) },
      org1.secretKey,
    );
    forged.signature = forged.signature.slice();
    forged.signature[0] = (forged.signature[0] as number) ^ 1;
    await expectError(submit(encodeTransaction(forged)), -32013, "MEMPOOL_BAD_SIGNATURE");

    await expectError(submit(sign("bogus.kind", utf8ToBytes("x"))), -32014, "LEDGER_UNKNOWN_KIND");
    await expectError(submit(sign("record.put", new Uint8Array([1, 2, 3]))), -32015, "LEDGER_BAD_PAYLOAD");
    await expectError(submit(sign("record.put", put(new Uint8Array(64 * 1024 + 1)))), -32011, "LEDGER_VALUE_TOO_LARGE");

    const stranger = generateSecretKey();
    const strangerErr = await rawError(url, submit(sign("record.put", put(utf8ToBytes("v")), stranger, chainId, 0)));
    expect(strangerErr.error.code).toBe(-32030);
    expect(["LEDGER_UNKNOWN_ACCOUNT", "LEDGER_NOT_MEMBER"]).toContain(strangerErr.error.data.code);

    // org2's admin may not write into org1's namespace.
    const org2Nonce = (await net.node(0).client.accountGet(org2.publicKey)).pendingNonce;
    await expectError(
      submit(recordPut(chainId, org2, org2Nonce, "docs", "k", "v")),
      -32031,
      "LEDGER_PERMISSION_DENIED",
    );
    await expectError(submit(recordPut(chainId, org1, nonce + 100_000, "docs", "k", "v")), -32021, "MEMPOOL_NONCE_GAP");
  });

  it("refuses a replayed transaction on every node, and commits it exactly once", async () => {
    const tx = recordPut(chainId, org1, nonce, "docs", "bill-of-lading-7", "issued");
    // The same transaction twice in one batch: both calls race into the mempool; one gets in.
    const batch = (await rawPost(url, `[${call("tx_submit", [tx], 1)},${call("tx_submit", [tx], 2)}]`)).body as {
      id: number;
      result?: { hash: string };
      error?: RawError;
    }[];
    expect(batch.map((a) => a.id)).toEqual([1, 2]);
    const accepted = batch.filter((a) => a.result);
    expect(accepted).toHaveLength(1);
    const hash = accepted[0]?.result?.hash as string;
    const refused = batch.find((a) => a.error)?.error;
    expect(refused?.code).toBe(-32022);
    expect(refused?.data.code).toBe("MEMPOOL_DUPLICATE");

    // Another transaction with the same nonce while the first is pending, or once it is committed.
    const rival = recordPut(chainId, org1, nonce, "docs", "bill-of-lading-7", "forged");
    const rivalErr = await rawError(url, call("tx_submit", [rival]));
    expect([-32024, -32020]).toContain(rivalErr.error.code);

    await waitFor("the transaction committed on both nodes", async () => {
      for (const node of net.nodes) if ((await node.client.txGet(hash)).status !== "committed") return false;
      return true;
    });
    nonce++;
    await expectCommittedEverywhere(net.nodes, hash);
    for (const node of net.nodes) {
      const { error } = await rawError(node.node.rpcUrl, call("tx_submit", [tx]));
      expect({ node: node.moniker, code: error.code, dataCode: error.data.code }).toEqual({
        node: node.moniker,
        code: -32023,
        dataCode: "MEMPOOL_ALREADY_COMMITTED",
      });
      const stale = await rawError(node.node.rpcUrl, call("tx_submit", [rival]));
      expect(stale.error.code).toBe(-32020);
    }
    for (const node of net.nodes) await expectEachCommittedOnce(node, [hash]);
    const value = await net.node(1).client.stateGet("docs", "bill-of-lading-7");
    expect(value.value).toBe(bytesTo0x(utf8ToBytes("issued")));
  });

  it("refuses oversized bodies with HTTP 413 and over-limit batches whole", async () => {
    const big = call("chain_status", { pad: "x".repeat(MAX_REQUEST_BYTES) });
    const declared = await rawPost(url, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: { code: -32600, data: { code: "RPC_REQUEST_TOO_LARGE" } } });

    // The same without a Content-Length (chunked): the limit applies while the body streams in.
    const chunks = [utf8ToBytes(big.slice(0, 1000)), utf8ToBytes(big.slice(1000))];
    const streamed = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit).catch((err: unknown) => err);
    // The server may answer 413 and close before the client finished sending: either is a refusal.
    if (streamed instanceof Response) expect(streamed.status).toBe(413);

    const over = Array.from({ length: MAX_BATCH + 1 }, (_, i) => call("chain_status", [], i));
    const tooMany = await rawError(url, `[${over.join(",")}]`);
    expect({ code: tooMany.error.code, dataCode: tooMany.error.data.code }).toEqual({
      code: -32600,
      dataCode: "RPC_BATCH_TOO_LARGE",
    });
    const huge = await rawError(url, `[${"1,".repeat(50_000)}1]`);
    expect(huge.error.data.code).toBe("RPC_BATCH_TOO_LARGE");

    const full = await rawPost(url, `[${over.slice(0, MAX_BATCH).join(",")}]`);
    expect((full.body as unknown[]).length).toBe(MAX_BATCH);

    // A mixed batch: answers in order, one per call with an id; the notification gets none.
    const mixed = await rawPost(
      url,
      `[${call("chain_status", [], "a")},${call("no_such_method", [], "b")},${JSON.stringify({ jsonrpc: "2.0", method: "chain_status" })},${call("block_get", ["x"], "c")}]`,
    );
    const answers = mixed.body as { id: string; error?: RawError }[];
    expect(answers.map((a) => [a.id, a.error?.code ?? "ok"])).toEqual([
      ["a", "ok"],
      ["b", -32601],
      ["c", -32602],
    ]);
    const notification = await rawPost(url, JSON.stringify({ jsonrpc: "2.0", method: "chain_status" }));
    expect(notification).toEqual({ status: 204, body: undefined });
  });

  it("survives abandoned requests, deep nesting and wrong HTTP methods", async () => {
    for (let i = 0; i < 20; i++) await abandonRequest(url, 100_000);
    // 100,000 levels of arrays: a batch of one call that is not an object (or, if the parser gives up, a
    // parse error); either way an answer, not a crash.
    const nested = (await rawPost(url, `${"[".repeat(100_000)}${"]".repeat(100_000)}`)).body;
    const nestedError = (Array.isArray(nested) ? nested[0] : nested) as { error: RawError };
    expect([-32700, -32600]).toContain(nestedError.error.code);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: { code: -32600 } });
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });

  it("still answers and commits afterwards, and logged no error", async () => {
    const node = net.node(0);
    expect(node.running).toBe(true);
    const before = await node.client.chainStatus();
    expect(before.chainId).toBe(chainId);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await waitFor("a new block after the abuse", async () => (await node.height()) > before.height + 1);
    const committed = await node.client.txSubmitAndWait(recordPut(chainId, org1, nonce, "docs", "after", "ok"), 20_000);
    expect(committed.receipt.ok).toBe(true);
    expect(await errorReports(net.nodes)).toEqual([]);
  });
});
