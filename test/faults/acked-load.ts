import { bytesTo0x, hexToBytes, sha256 } from "@hansa/core";
import type { NodeProcess } from "../support/node-process.js";
import type { E2eAccount } from "../support/testnet.js";
import { recordPut } from "../support/txs.js";
import { sleep } from "../support/wait.js";
import { rpcBatch } from "./rpc-batch.js";

/** A transaction whose commit the client saw (tx_get answered "committed"), and where. */
export interface Ack {
  hash: string;
  sender: string;
  nonce: number;
  height: number;
  blockHash: string;
  at: number;
}

interface Pending {
  nonce: number;
  hash: string;
  tx: string;
  lastSentAt: number;
}

/**
 * Refusals that mean "this transaction is already in, or already done": the next confirmation round finds
 * it. Back-pressure refusals mean "not now". Anything else is unexpected and counted.
 */
const ALREADY = new Set(["MEMPOOL_DUPLICATE", "MEMPOOL_ALREADY_COMMITTED", "MEMPOOL_NONCE_TOO_LOW"]);
const BACK_PRESSURE = new Set(["MEMPOOL_FULL", "MEMPOOL_BUSY", "MEMPOOL_NONCE_GAP"]);

/** Client calls give up quickly: a frozen or cut-off node must not stall the load. */
const CALL_TIMEOUT_MS = 2_000;
/** A pending transaction not seen committed this long after its last send is sent again. */
const RESEND_AFTER_MS = 5_000;

export interface AckedLoadOptions {
  chainId: string;
  nodes: readonly NodeProcess[];
  /** One sender per entry: its account, its namespace, its first nonce and the node it starts with. */
  senders: { account: E2eAccount; namespace: string; firstNonce: number; home: number }[];
  /** Unconfirmed transactions a sender keeps in flight. */
  window?: number;
  /** New transactions per sender per round, and the pause between rounds: the offered rate. */
  burst?: number;
  pauseMs?: number;
}

/**
 * Client load that runs through every fault: each sender submits `record.put` transactions in nonce order
 * and confirms them with tx_get. A transaction is acknowledged only when the client saw it committed. A
 * sender whose node stops answering moves to the next node, and transactions that stay unconfirmed are
 * sent again, byte for byte (same hash), so a mempool lost with a killed node delays them but loses none
 * and never creates a second transaction.
 */
export class AckedLoad {
  readonly acks: Ack[] = [];
  /** Unexpected refusals by Hansa code: none are expected. */
  readonly refusals = new Map<string, number>();
  private readonly senders: SenderState[];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: AckedLoadOptions) {
    this.senders = options.senders.map((s) => ({
      ...s,
      nextNonce: s.firstNonce,
      target: s.home,
      pending: [],
      name: s.account.organization,
    }));
  }

  get pendingCount(): number {
    return this.senders.reduce((n, s) => n + s.pending.length, 0);
  }

  start(): void {
    this.running = true;
    this.loops = this.senders.map((s) => this.run(s));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Stops submitting new transactions and waits until every sent one is acknowledged (or the deadline). */
  async drain(timeoutMs: number): Promise<number> {
    await this.stop();
    const deadline = Date.now() + timeoutMs;
    while (this.pendingCount > 0 && Date.now() < deadline) {
      for (const s of this.senders) {
        await this.confirm(s);
        await this.resend(s);
      }
      await sleep(250);
    }
    return this.pendingCount;
  }

  private async run(s: SenderState): Promise<void> {
    const window = this.options.window ?? 16;
    const burst = this.options.burst ?? 2;
    const pauseMs = this.options.pauseMs ?? 200;
    while (this.running) {
      for (let i = 0; i < burst && this.running && s.pending.length < window; i++) {
        const nonce = s.nextNonce;
        const tx = recordPut(this.options.chainId, s.account, nonce, s.namespace, `${s.name}-${nonce}`, `v${nonce}`);
        const entry: Pending = { nonce, hash: bytesTo0x(sha256(hexToBytes(tx))), tx, lastSentAt: Date.now() };
        s.pending.push(entry);
        s.nextNonce++;
        if (!(await this.send(s, [entry]))) break;
      }
      await this.confirm(s);
      await this.resend(s);
      await sleep(pauseMs);
    }
  }

  /** Sends in nonce order; false when the node did not take them (moved on to the next node). */
  private async send(s: SenderState, entries: Pending[]): Promise<boolean> {
    if (entries.length === 0) return true;
    const url = this.nodeUrl(s);
    const calls = entries.map((e) => ({ method: "tx_submit", params: [e.tx] }));
    let outcomes: Awaited<ReturnType<typeof rpcBatch>>;
    try {
      outcomes = await rpcBatch(url, calls, 50, CALL_TIMEOUT_MS);
    } catch {
      this.moveOn(s);
      return false;
    }
    let taken = true;
    for (const [i, outcome] of outcomes.entries()) {
      const entry = entries[i] as Pending;
      entry.lastSentAt = Date.now();
      if (outcome.ok || ALREADY.has(outcome.reason)) continue;
      taken = false;
      if (!BACK_PRESSURE.has(outcome.reason)) {
        this.refusals.set(outcome.reason, (this.refusals.get(outcome.reason) ?? 0) + 1);
      }
    }
    if (!taken) this.moveOn(s);
    return taken;
  }

  /** Asks the sender's node which pending transactions are committed; those become acknowledged. */
  private async confirm(s: SenderState): Promise<void> {
    if (s.pending.length === 0) return;
    let outcomes: Awaited<ReturnType<typeof rpcBatch>>;
    try {
      const calls = s.pending.map((p) => ({ method: "tx_get", params: [p.hash] }));
      outcomes = await rpcBatch(this.nodeUrl(s), calls, 100, CALL_TIMEOUT_MS);
    } catch {
      this.moveOn(s);
      return;
    }
    const done = new Set<string>();
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) continue;
      const status = outcome.result as { status: string; height?: number; blockHash?: string };
      if (status.status !== "committed") continue;
      const p = s.pending[i] as Pending;
      done.add(p.hash);
      this.acks.push({
        hash: p.hash,
        sender: s.name,
        nonce: p.nonce,
        height: status.height as number,
        blockHash: status.blockHash as string,
        at: Date.now(),
      });
    }
    if (done.size > 0) s.pending = s.pending.filter((p) => !done.has(p.hash));
  }

  private async resend(s: SenderState): Promise<void> {
    const stale = Date.now() - RESEND_AFTER_MS;
    // All unconfirmed from the oldest stale one on, in nonce order, so the node sees no gap before them; to
    // the next node, since the one that took them has not got them committed (down, cut off, lost them).
    const first = s.pending.findIndex((p) => p.lastSentAt < stale);
    if (first < 0) return;
    this.moveOn(s);
    await this.send(s, s.pending.slice(first));
  }

  private moveOn(s: SenderState): void {
    s.target = (s.target + 1) % this.options.nodes.length;
  }

  private nodeUrl(s: SenderState): string {
    return (this.options.nodes[s.target] as NodeProcess).node.rpcUrl;
  }
}

interface SenderState {
  account: E2eAccount;
  namespace: string;
  name: string;
  home: number;
  nextNonce: number;
  target: number;
  pending: Pending[];
}
