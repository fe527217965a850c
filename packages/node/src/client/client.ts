import { bytesTo0x, encodeTransaction, getPublicKey, signTransaction } from "@hansa/core";
import type {
  AccountJson,
  BlockJson,
  ChainStatusJson,
  EvidenceListJson,
  Hex,
  JsonRpcResponse,
  MempoolStatusJson,
  NewBlockJson,
  PeerJson,
  RpcMethodMap,
  RpcMethodName,
  StateHistoryJson,
  StateHistoryOptions,
  StateValueJson,
  TxCommittedJson,
  TxStatusJson,
  TxSubmitResult,
  ValidatorsJson,
} from "../rpc/types.js";
import { BlockSubscription, type BlockSubscriptionOptions } from "./block-subscription.js";
import { RpcError, RpcTransportError } from "./errors.js";

export interface HansaClientOptions {
  /** Milliseconds before an HTTP call is abandoned; `*AndWait` calls add their own wait to it. */
  timeoutMs?: number;
  /** WebSocket URL for subscriptions; the HTTP URL with ws:// when absent. */
  wsUrl?: string;
}

export interface SubmitOptions {
  /** The nonce to use; fetched from the node (`pendingNonce`) when absent. */
  nonce?: number;
}

export interface SubmitAndWaitOptions extends SubmitOptions {
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function toHex(value: Uint8Array | Hex): Hex {
  return typeof value === "string" ? value : bytesTo0x(value);
}

/**
 * A typed client of the Hansa JSON-RPC API: one method per RPC method (HTTP via fetch), a reconnecting
 * block subscription (WebSocket), and helpers that sign and submit transactions. Errors from the server
 * are `RpcError`; an unreachable or broken server is `RpcTransportError`.
 */
export class HansaClient {
  readonly url: string;
  readonly wsUrl: string;
  private readonly timeoutMs: number;
  private nextId = 1;
  private chainId: string | undefined;

  constructor(url: string, options: HansaClientOptions = {}) {
    this.url = url;
    this.wsUrl = options.wsUrl ?? url.replace(/^http/, "ws");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Calls any method by name with positional params. */
  async call<M extends RpcMethodName>(
    method: M,
    params: RpcMethodMap[M]["params"],
    options: { timeoutMs?: number } = {},
  ): Promise<RpcMethodMap[M]["result"]> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (err) {
      throw new RpcTransportError({ code: "RPC_TRANSPORT", url: this.url }, `${method}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    let answer: JsonRpcResponse;
    try {
      answer = (await res.json()) as JsonRpcResponse;
    } catch (err) {
      throw new RpcTransportError(
        { code: "RPC_TRANSPORT", url: this.url, status: res.status },
        `${method}: the server answered HTTP ${res.status} without JSON`,
        { cause: err },
      );
    }
    if (typeof answer !== "object" || answer === null || answer.jsonrpc !== "2.0") {
      throw new RpcTransportError(
        { code: "RPC_TRANSPORT", url: this.url, status: res.status },
        `${method}: the server did not answer JSON-RPC 2.0`,
      );
    }
    if ("error" in answer) throw new RpcError(answer.error.code, answer.error.message, answer.error.data);
    return answer.result as RpcMethodMap[M]["result"];
  }

  txSubmit(tx: Uint8Array | Hex): Promise<TxSubmitResult> {
    return this.call("tx_submit", [toHex(tx)]);
  }

  txSubmitAndWait(tx: Uint8Array | Hex, timeoutMs?: number): Promise<TxCommittedJson> {
    const params: [Hex, number?] = timeoutMs === undefined ? [toHex(tx)] : [toHex(tx), timeoutMs];
    return this.call("tx_submitAndWait", params, { timeoutMs: this.timeoutMs + (timeoutMs ?? DEFAULT_TIMEOUT_MS) });
  }

  txGet(hash: Uint8Array | Hex): Promise<TxStatusJson> {
    return this.call("tx_get", [toHex(hash)]);
  }

  blockGet(height: number | "latest"): Promise<BlockJson> {
    return this.call("block_get", [height]);
  }

  blockGetByHash(hash: Uint8Array | Hex): Promise<BlockJson> {
    return this.call("block_getByHash", [toHex(hash)]);
  }

  chainStatus(): Promise<ChainStatusJson> {
    return this.call("chain_status", []);
  }

  chainValidators(height?: number): Promise<ValidatorsJson> {
    return this.call("chain_validators", height === undefined ? [] : [height]);
  }

  /** By address (`hansa1...`) or by public key. */
  accountGet(account: string | Uint8Array): Promise<AccountJson> {
    return this.call("account_get", [typeof account === "string" ? account : bytesTo0x(account)]);
  }

  stateGet(namespace: string, key: string): Promise<StateValueJson> {
    return this.call("state_get", [namespace, key]);
  }

  stateHistory(namespace: string, key: string, options?: StateHistoryOptions): Promise<StateHistoryJson> {
    return this.call("state_history", options === undefined ? [namespace, key] : [namespace, key, options]);
  }

  mempoolStatus(): Promise<MempoolStatusJson> {
    return this.call("mempool_status", []);
  }

  netPeers(): Promise<PeerJson[]> {
    return this.call("net_peers", []);
  }

  /** Equivocation recorded on chain, from a position on (the start of the chain by default). */
  evidenceList(options: { fromHeight?: number; fromIndex?: number; limit?: number } = {}): Promise<EvidenceListJson> {
    return this.call("evidence_list", [options.fromHeight ?? 1, options.fromIndex ?? 0, options.limit ?? 20]);
  }

  /** The server's OpenRPC document. */
  discover(): Promise<Record<string, unknown>> {
    return this.call("rpc.discover", []);
  }

  /**
   * Signs a transaction of `kind` with `payload` (the kind's canonical CBOR) and submits it. The chain id
   * comes from the node (once); the nonce, unless given, is the node's `pendingNonce`, which counts the
   * sender's transactions still in its mempool, so consecutive submits through one node need no bookkeeping.
   * Concurrent submits from one sender must pass their own nonces.
   */
  async submit(
    kind: string,
    payload: Uint8Array,
    secretKey: Uint8Array,
    options: SubmitOptions = {},
  ): Promise<TxSubmitResult & { nonce: number }> {
    const { encoded, nonce } = await this.sign(kind, payload, secretKey, options);
    const result = await this.txSubmit(encoded);
    return { ...result, nonce };
  }

  /** As `submit`, then waits for the commit and returns the receipt and proof. */
  async submitAndWait(
    kind: string,
    payload: Uint8Array,
    secretKey: Uint8Array,
    options: SubmitAndWaitOptions = {},
  ): Promise<TxCommittedJson> {
    const { encoded } = await this.sign(kind, payload, secretKey, options);
    return this.txSubmitAndWait(encoded, options.timeoutMs);
  }

  /** Every committed block from `fromHeight` on, across reconnects; `close()` the result to stop. */
  subscribeBlocks(
    onBlock: (block: NewBlockJson) => void | Promise<void>,
    options: BlockSubscriptionOptions = {},
  ): BlockSubscription {
    return new BlockSubscription(this.wsUrl, onBlock, options);
  }

  private async sign(
    kind: string,
    payload: Uint8Array,
    secretKey: Uint8Array,
    options: SubmitOptions,
  ): Promise<{ encoded: Uint8Array; nonce: number }> {
    this.chainId ??= (await this.chainStatus()).chainId;
    const nonce = options.nonce ?? (await this.accountGet(getPublicKey(secretKey))).pendingNonce;
    const tx = signTransaction({ chainId: this.chainId, nonce, kind, payload }, secretKey);
    return { encoded: encodeTransaction(tx), nonce };
  }
}
