import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, createMetrics } from "../../src/observability/index.js";

function collector(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l)),
  };
}

describe("createLogger", () => {
  it("writes one JSON object per line with level label, time, name, msg and fields", () => {
    const out = collector();
    const log = createLogger({ level: "info", name: "node-1", destination: out.stream });
    log.info("block committed", { height: 7, hash: new Uint8Array([0xab, 0xcd]), txs: 3n });
    log.debug("dropped below level", { x: 1 });
    log.child({ module: "rpc" }).warn("slow call", { method: "tx_get" });
    log.error("failed", { err: new Error("boom") });
    const lines = out.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      level: "info",
      name: "node-1",
      msg: "block committed",
      height: 7,
      hash: "0xabcd",
    });
    expect(lines[0]?.txs).toBe("3");
    expect(Number.isNaN(Date.parse(String(lines[0]?.time)))).toBe(false);
    expect(lines[1]).toMatchObject({ level: "warn", module: "rpc", method: "tx_get" });
    expect(lines[2]).toMatchObject({ level: "error", err: { message: "boom", type: "Error" } });
  });
});

describe("createMetrics", () => {
  it("exposes the named metrics with units in their names, in separate registries", async () => {
    const a = createMetrics({ labels: { node: "a" } });
    const b = createMetrics();
    a.height.set(12);
    a.committedTxsTotal.inc(5);
    a.blockTimeSeconds.observe(1.2);
    a.rpcRequestDurationSeconds.observe({ method: "tx_get" }, 0.003);
    const text = await a.text();
    expect(a.contentType).toContain("text/plain");
    expect(text).toContain('hansa_height{node="a"} 12');
    expect(text).toContain('hansa_committed_txs_total{node="a"} 5');
    expect(text).toContain('hansa_block_time_seconds_count{node="a"} 1');
    expect(text).toContain('hansa_rpc_request_duration_seconds_count{node="a",method="tx_get"} 1');
    for (const name of [
      "hansa_consensus_round",
      "hansa_mempool_size",
      "hansa_mempool_bytes",
      "hansa_peers",
      "hansa_rpc_errors_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(await b.text()).toContain("hansa_height 0");
  });
});
