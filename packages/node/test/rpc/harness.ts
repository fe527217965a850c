import { encodeTransaction, generateSecretKey, signTransaction, utf8ToBytes } from "@hansa/core";
import { createMetrics, type Metrics } from "../../src/observability/index.js";
import { RpcServer, type RpcServerOptions } from "../../src/rpc/index.js";
import { CHAIN_ID, MemoryNodeApi } from "./memory-api.js";

export interface Harness {
  api: MemoryNodeApi;
  server: RpcServer;
  metrics: Metrics;
  url: string;
  /** POSTs a raw body (objects are JSON-encoded) and returns the status and the parsed body, if any. */
  post(body: unknown): Promise<{ status: number; text: string; json: unknown }>;
  close(): Promise<void>;
}

export async function startHarness(options: RpcServerOptions = {}, api = new MemoryNodeApi()): Promise<Harness> {
  const metrics = createMetrics();
  const server = new RpcServer({ port: 0, ...options }, { api, metrics });
  await server.start();
  const url = server.url;
  return {
    api,
    server,
    metrics,
    url,
    async post(body) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: text === "" ? undefined : JSON.parse(text) };
    },
    close: () => server.stop(),
  };
}

/** A signed, encoded transaction of this chain. */
export function signedTx(secretKey: Uint8Array, nonce: number, chainId = CHAIN_ID, note = ""): Uint8Array {
  return encodeTransaction(
    signTransaction({ chainId, nonce, kind: "record.put", payload: utf8ToBytes(`payload ${nonce}${note}`) }, secretKey),
  );
}

export { generateSecretKey };

export function call(method: string, params?: unknown, id: number | string | null = 1): Record<string, unknown> {
  return params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
}
