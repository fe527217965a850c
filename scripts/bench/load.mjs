import { submitBatch } from "./rpc.mjs";

/**
 * The two ways the bench offers load. Open loop: a fixed rate whatever the chain does (latency at a given
 * load). Saturation: as fast as the chain commits, keeping at most `backlog` transactions submitted but not
 * committed, so the mempool never runs dry and latency stays that of a full pipeline, not of a growing queue.
 * Both take pre-signed transactions from per-node queues in order and spread batches over every node.
 */
export class NodeQueues {
  constructor(queues) {
    this.queues = queues;
    this.pos = queues.map(() => 0);
  }

  take(n, count) {
    const start = this.pos[n];
    const items = this.queues[n].slice(start, start + count);
    this.pos[n] = start + items.length;
    return items;
  }

  /** Puts refused items back at the front of node `n`'s queue, in order, to be submitted again. */
  requeue(n, items) {
    if (items.length === 0) return;
    this.pos[n] -= items.length;
    this.queues[n].splice(this.pos[n], items.length, ...items);
  }

  get left() {
    return this.queues.reduce((sum, q, n) => sum + q.length - this.pos[n], 0);
  }
}

/**
 * Submits one batch to node `n`. Transactions refused for lack of room (or lost with the connection) go back
 * to the front of the node's queue, as an ingest service would resubmit them; each keeps its first submit
 * time, so latency counts the wait. Other refusals are final and counted.
 */
async function send({ watch, queues, n, url, items, phase, errors }) {
  watch.markSubmitted(items, Date.now(), phase);
  let retry = [];
  try {
    const result = await submitBatch(
      url,
      items.map((i) => i.request),
    );
    for (const code of result.errors) errors.set(code, (errors.get(code) ?? 0) + 1);
    for (const _ of result.retry) errors.set("RETRIED", (errors.get("RETRIED") ?? 0) + 1);
    retry = result.retry.map((i) => items[i]);
    if (result.errors.length + retry.length > 0) watch.markRejected(result.errors.length + retry.length);
  } catch (err) {
    errors.set("TRANSPORT", (errors.get("TRANSPORT") ?? 0) + items.length);
    watch.markRejected(items.length);
    retry = items;
    process.stderr.write(`submit to ${url} failed: ${err.message}\n`);
  }
  queues.requeue(n, retry);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Offers `rate` tx/s for `durationMs`; each tick sends what the rate owes so far, to the next node. */
export async function openLoop({ watch, nodes, queues, rate, durationMs, phase }) {
  const errors = new Map();
  const tickMs = Math.max(20, 1000 / rate);
  const start = Date.now();
  const inFlight = [];
  let sent = 0;
  let next = 0;
  for (let t = start; t - start < durationMs; t = Date.now()) {
    const owed = Math.floor((rate * (t - start)) / 1000) + 1 - sent;
    if (owed > 0) {
      const n = next++ % nodes.length;
      const items = queues.take(n, owed);
      if (items.length === 0) break;
      sent += items.length;
      inFlight.push(send({ watch, queues, n, url: nodes[n].rpcUrl, items, phase, errors }));
    }
    const nextTick = start + (Math.floor((t - start) / tickMs) + 1) * tickMs;
    await sleep(Math.max(0, nextTick - Date.now()));
  }
  // The offered rate is what was sent over the phase, not diluted by waiting for slow answers afterwards.
  const seconds = (Date.now() - start) / 1000;
  await Promise.all(inFlight);
  return { offered: sent, seconds, errors };
}

/** Keeps every node fed (one request in flight each) until `durationMs` passes or the queues run out. */
export async function saturate({ watch, nodes, queues, batch, backlog, durationMs, phase }) {
  const errors = new Map();
  const start = Date.now();
  const deadline = start + durationMs;
  let sent = 0;
  const worker = async (n) => {
    while (Date.now() < deadline) {
      const room = backlog - watch.outstanding;
      if (room < Math.min(batch, backlog) / 2) {
        await watch.changed(deadline - Date.now());
        continue;
      }
      const items = queues.take(n, Math.min(batch, room));
      if (items.length === 0) return;
      sent += items.length;
      await send({ watch, queues, n, url: nodes[n].rpcUrl, items, phase, errors });
    }
  };
  await Promise.all(nodes.map((_, n) => worker(n)));
  return { offered: sent, seconds: (Date.now() - start) / 1000, errors, ranOut: queues.left === 0 };
}

/** Waits until everything submitted is committed or refused, or `timeoutMs` passes. */
export async function drain(watch, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (watch.outstanding > 0 && Date.now() < deadline) await watch.changed(deadline - Date.now());
  return watch.outstanding;
}
