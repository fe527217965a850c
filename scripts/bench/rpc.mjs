import { Agent, request } from "node:http";

/**
 * The cheapest JSON-RPC transport we can write: node:http over kept-alive sockets, bodies passed as ready
 * strings. The driver shares the machine with the validators, so every cycle it spends is theirs.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function postJson(url, body, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`${url} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

let nextId = 1;

/** One call; throws the JSON-RPC error (with its Hansa code in `data.code`). */
export async function call(url, method, params = []) {
  const answer = await postJson(url, JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }));
  if (answer.error) {
    const err = new Error(`${method}: ${answer.error.message}`);
    err.data = answer.error.data;
    throw err;
  }
  return answer.result;
}

/**
 * Submits pre-rendered `tx_submit` request objects (JSON text) as one batch. Returns how many the node
 * admitted and the Hansa error codes of the rest.
 */
export async function submitBatch(url, requests) {
  const answers = await postJson(url, `[${requests.join(",")}]`);
  if (!Array.isArray(answers)) throw new Error(`batch refused: ${JSON.stringify(answers).slice(0, 200)}`);
  let admitted = 0;
  const errors = [];
  /** Positions (in `requests`) refused only for lack of room: the caller submits them again later. */
  const retry = [];
  answers.forEach((a, i) => {
    if (!a.error) {
      admitted++;
      return;
    }
    const code = a.error.data?.code ?? String(a.error.code);
    if (RETRYABLE.has(code)) retry.push(i);
    else errors.push(code);
  });
  return { admitted, errors, retry };
}

/**
 * Refusals that say "not now" rather than "never": an ingest service resubmits these, and must, because a
 * sender's later nonces wait behind the refused one.
 */
const RETRYABLE = new Set(["MEMPOOL_FULL", "MEMPOOL_BUSY"]);

export function closeTransport() {
  agent.destroy();
}
