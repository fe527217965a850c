import WebSocket from "ws";
import type { NewBlockJson } from "../rpc/types.js";
import { RpcError } from "./errors.js";

export interface BlockSubscriptionOptions {
  /** First height to deliver; the next block to commit when absent. */
  fromHeight?: number;
  /** Reconnect failures, subscribe errors and exceptions from `onBlock`; the subscription keeps going. */
  onError?: (err: unknown) => void;
  /** First reconnect delay; it doubles per failed attempt up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

const SUBSCRIBE_ID = 1;

/**
 * `newBlocks` over WebSocket that survives disconnects: after each reconnect it subscribes again from the
 * height after the last block it delivered, so `onBlock` sees every height once, in order.
 */
export class BlockSubscription {
  /** Resolves once the first subscribe succeeded. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private ws: WebSocket | undefined;
  private subscriptionId: string | undefined;
  private nextHeight: number | undefined;
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Serialises `onBlock` calls, so an async handler finishes one block before the next. */
  private chain: Promise<void> = Promise.resolve();
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly url: string,
    private readonly onBlock: (block: NewBlockJson) => void | Promise<void>,
    private readonly options: BlockSubscriptionOptions = {},
  ) {
    this.nextHeight = options.fromHeight;
    this.minDelayMs = options.reconnectDelayMs ?? 100;
    this.maxDelayMs = options.maxReconnectDelayMs ?? 5_000;
    this.delayMs = this.minDelayMs;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.connect();
  }

  /** The height of the next block to deliver, once known. */
  get next(): number | undefined {
    return this.nextHeight;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.subscriptionId = undefined;
    ws.on("open", () => {
      const options = this.nextHeight === undefined ? {} : { fromHeight: this.nextHeight };
      ws.send(
        JSON.stringify({ jsonrpc: "2.0", id: SUBSCRIBE_ID, method: "subscribe", params: ["newBlocks", options] }),
      );
    });
    ws.on("message", (data) => this.message(ws, String(data)));
    ws.on("error", (err) => this.report(err));
    ws.on("close", () => {
      if (this.ws === ws) this.reconnectLater();
    });
  }

  private message(ws: WebSocket, text: string): void {
    let msg: {
      id?: unknown;
      result?: unknown;
      error?: { code: number; message: string; data?: never };
      method?: string;
      params?: { subscription?: string; result?: NewBlockJson };
    };
    try {
      msg = JSON.parse(text);
    } catch (err) {
      this.report(err);
      return;
    }
    if (msg.id === SUBSCRIBE_ID) {
      if (msg.error) {
        this.report(new RpcError(msg.error.code, msg.error.message, msg.error.data));
        ws.close();
        return;
      }
      this.subscriptionId = String(msg.result);
      this.delayMs = this.minDelayMs;
      this.markReady();
      return;
    }
    const block = msg.params?.result;
    if (msg.method !== "subscription" || msg.params?.subscription !== this.subscriptionId || !block) return;
    const height = block.header.height;
    // A replay after a reconnect may overlap what was already delivered; drop the repeats.
    if (this.nextHeight !== undefined && height < this.nextHeight) return;
    this.nextHeight = height + 1;
    this.chain = this.chain.then(async () => {
      try {
        await this.onBlock(block);
      } catch (err) {
        this.report(err);
      }
    });
  }

  private reconnectLater(): void {
    if (this.closed) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private report(err: unknown): void {
    if (!this.closed) this.options.onError?.(err);
  }
}
