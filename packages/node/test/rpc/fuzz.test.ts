import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RPC_METHODS } from "../../src/rpc/index.js";
import { type Harness, startHarness } from "./harness.js";
import { type Message, TestSocket } from "./ws-client.js";

// Fixed seeds keep runs reproducible; the properties must hold for every input, so any seed is a valid test.
const SEED = 20_240_601;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxRequestBytes: 16 * 1024, maxBatch: 10 });
  h.api.commitBlock();
});
afterAll(() => h.close());

const methodName = fc.oneof(
  fc.constantFrom(...RPC_METHODS.map((m) => m.name), "subscribe", "nope", "__proto__", "rpc.discover"),
  fc.string(),
);
const id = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.jsonValue());
const params = fc.oneof(
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.dictionary(
    fc.constantFrom("tx", "hash", "height", "timeoutMs", "account", "topic", "options", "x"),
    fc.jsonValue(),
  ),
  fc.array(
    fc.oneof(
      fc.constant("latest"),
      fc.nat(),
      fc.uint8Array({ maxLength: 80 }).map((b) => `0x${Buffer.from(b).toString("hex")}`),
    ),
    { maxLength: 3 },
  ),
  fc.jsonValue(),
);
const call = fc.record(
  { jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue()), id, method: methodName, params },
  { requiredKeys: ["jsonrpc", "method"] },
);
const body = fc.oneof(
  call.map((c) => JSON.stringify(c)),
  fc.array(fc.oneof(call, fc.jsonValue()), { maxLength: 12 }).map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary" }),
  fc.string({ maxLength: 20_000 }),
);

function isValidResponse(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  const keys = Object.keys(r).sort();
  if (r.jsonrpc !== "2.0") return false;
  if (!(r.id === null || typeof r.id === "string" || typeof r.id === "number")) return false;
  if (keys.join() === "id,jsonrpc,result") return true;
  if (keys.join() !== "error,id,jsonrpc") return false;
  const e = r.error as { code: unknown; message: unknown; data: { code: unknown } };
  return Number.isInteger(e.code) && typeof e.message === "string" && typeof e.data?.code === "string";
}

function isValidAnswer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every(isValidResponse);
  return isValidResponse(value);
}

describe("fuzz", () => {
  it("over HTTP, every body gets valid JSON-RPC or no body at all, and the server stays up", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await h.post(text);
        if (res.status === 204) {
          expect(res.text).toBe("");
          return;
        }
        expect([200, 413]).toContain(res.status);
        expect(isValidAnswer(res.json)).toBe(true);
      }),
      { numRuns: 400, seed: SEED },
    );
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
  });

  it("over WebSocket, every message gets valid JSON-RPC or nothing, and the connection stays up", async () => {
    const s = await TestSocket.open(h.server.wsUrl);
    let sentinel = 0;
    try {
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const start = s.messages.length;
          s.send(text);
          // A known call right after: everything before its answer belongs to the fuzzed message.
          const mark = `sentinel-${sentinel++}`;
          s.send({ jsonrpc: "2.0", id: mark, method: "chain_status" });
          await s.waitFor((m: Message) => m.id === mark);
          const between = s.messages.slice(start).filter((m) => m.id !== mark && m.method !== "subscription");
          for (const m of between) expect(isValidAnswer(m)).toBe(true);
        }),
        { numRuns: 200, seed: SEED },
      );
    } finally {
      await s.close();
    }
  });
});
