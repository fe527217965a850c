import { bytesTo0x, hexToBytes, sha256 } from "@hansa/core";
import { isRpcError, RpcTransportError } from "@hansa/node";
import type { NodeProcess } from "./node-process.js";
import type { E2eAccount } from "./testnet.js";
import { recordPut } from "./txs.js";
import { sleep } from "./wait.js";

/**
 * Refusals that mean "not now": the mempool is full, or this sender already has a full nonce window
 * pending (while no block commits, e.g. with two of four validators down). The same nonce is retried.
 */
const BACK_PRESSURE = new Set(["MEMPOOL_FULL", "MEMPOOL_BUSY", "MEMPOOL_NONCE_GAP"]);

export interface LoadOptions {
  chainId: string;
  /** Submits go to this node only: a sender's nonces stay in order on one mempool. */
  node: NodeProcess;
  account: E2eAccount;
  namespace: string;
  firstNonce: number;
  /** Transactions per burst, and the pause between bursts. */
  burst?: number;
  pauseMs?: number;
}

/**
 * A steady stream of `record.put` transactions from one sender through one node, each nonce after the
 * last. A refused or unreachable submit is retried with the same nonce, so the accepted hashes have no
 * nonce gap and every one of them must eventually commit.
 */
export class LoadGenerator {
  /** Hashes `tx_submit` accepted, in nonce order. */
  readonly accepted: string[] = [];
  /** Refusals other than "node unreachable" and back-pressure, by Hansa code: none are expected. */
  readonly refusals = new Map<string, number>();
  private nonce: number;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: LoadOptions) {
    this.nonce = options.firstNonce;
  }

  get nextNonce(): number {
    return this.nonce;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { chainId, node, account, namespace, burst = 2, pauseMs = 100 } = this.options;
    while (this.running) {
      for (let i = 0; i < burst && this.running; i++) {
        const nonce = this.nonce;
        const tx = recordPut(chainId, account, nonce, namespace, `${account.organization}-${nonce}`, `value ${nonce}`);
        try {
          const { hash } = await node.client.txSubmit(tx);
          this.accepted.push(hash);
          this.nonce++;
        } catch (err) {
          // An earlier try of this very transaction got in although its answer was lost (a client timeout).
          if (isRpcError(err) && (err.reason === "MEMPOOL_DUPLICATE" || err.reason === "MEMPOOL_ALREADY_COMMITTED")) {
            this.accepted.push(bytesTo0x(sha256(hexToBytes(tx))));
            this.nonce++;
            continue;
          }
          if (err instanceof RpcTransportError || (isRpcError(err) && BACK_PRESSURE.has(err.reason))) break;
          const reason = isRpcError(err) ? err.reason : String(err);
          this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
          break;
        }
      }
      await sleep(pauseMs);
    }
  }
}
