/**
 * JSON-RPC batches and calls by name with named params, straight over fetch: the audits read thousands of
 * blocks and transactions per node, and the test-only methods (`test_setFaults`, `evidence_list`) are not
 * in the typed client.
 */

export interface RpcCall {
  method: string;
  params: unknown;
}

export type RpcOutcome = { ok: true; result: unknown } | { ok: false; code: number; reason: string; message: string };

interface Answer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: string } };
}

/** Sends `calls` as batches of at most `batchSize`; the outcomes come back in the order of `calls`. */
export async function rpcBatch(url: string, calls: readonly RpcCall[], batchSize = 200, timeoutMs = 30_000) {
  const outcomes: RpcOutcome[] = [];
  for (let start = 0; start < calls.length; start += batchSize) {
    const slice = calls.slice(start, start + batchSize);
    const body = JSON.stringify(slice.map((c, i) => ({ jsonrpc: "2.0", id: i, method: c.method, params: c.params })));
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answers = (await res.json()) as Answer[];
    if (!Array.isArray(answers)) throw new Error(`${url}: batch answered ${JSON.stringify(answers).slice(0, 200)}`);
    const byId = new Map(answers.map((a) => [a.id, a]));
    for (let i = 0; i < slice.length; i++) {
      const answer = byId.get(i);
      if (!answer) throw new Error(`${url}: no answer for ${slice[i]?.method} in a batch`);
      outcomes.push(
        answer.error
          ? {
              ok: false,
              code: answer.error.code,
              reason: answer.error.data?.code ?? "RPC_ERROR",
              message: answer.error.message,
            }
          : { ok: true, result: answer.result },
      );
    }
  }
  return outcomes;
}

/** One call; an error answer throws with its Hansa code in the message. */
export async function rpcCall<T>(url: string, method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
  const [outcome] = await rpcBatch(url, [{ method, params }], 1, timeoutMs);
  if (!outcome) throw new Error(`${method}: no answer`);
  if (!outcome.ok) throw new RpcCallError(method, outcome.code, outcome.reason, outcome.message);
  return outcome.result as T;
}

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(`${method}: ${reason} (${code}) ${message}`);
    this.name = "RpcCallError";
  }
}
