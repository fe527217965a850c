import { randomBytes } from "node:crypto";
import type { Logger } from "../observability/index.js";
import type { Unsubscribe } from "./api.js";
import { RpcServerError } from "./errors.js";
import type { SubscriptionTopic } from "./types.js";

/**
 * Sends one update to the subscriber. `final` ends the subscription after this update. The promise settles
 * when the connection has taken the update, which is how a replay paces itself to a slow reader.
 */
export type Deliver = (result: unknown, final?: boolean) => Promise<void>;

/** What the `subscribe` and `unsubscribe` methods use of a connection. */
export interface SubscriptionSink {
  open(topic: SubscriptionTopic, start: (deliver: Deliver) => Unsubscribe | Promise<Unsubscribe>): Promise<string>;
  close(id: string): boolean;
}

interface Subscription {
  id: string;
  topic: SubscriptionTopic;
  /** False until the response carrying the id has been sent; updates wait in `queue` meanwhile. */
  ready: boolean;
  queue: string[];
  finalSeen: boolean;
  ended: boolean;
  stop?: Unsubscribe;
}

/**
 * The subscriptions of one WebSocket connection. A subscription's first updates may be produced before its
 * id has reached the client (a replay starts at once), so they are held until the transport has sent the
 * response to the message that opened it: a client never sees an update for an id it does not know yet.
 */
export class ConnectionSubscriptions {
  private readonly subs = new Map<string, Subscription>();

  constructor(
    private readonly options: { maxSubscriptions: number },
    private readonly modules: { send: (text: string) => Promise<void>; logger: Logger },
  ) {}

  get size(): number {
    return this.subs.size;
  }

  /** A sink for the calls of one message; `activate` after its response is sent releases what it opened. */
  scope(): { sink: SubscriptionSink; activate(): void } {
    const opened: Subscription[] = [];
    return {
      sink: {
        open: (topic, start) => this.open(topic, start, opened),
        close: (id) => this.end(id),
      },
      activate: () => {
        for (const sub of opened) this.activate(sub);
      },
    };
  }

  /** Ends every subscription; the connection closed. */
  closeAll(): void {
    for (const id of [...this.subs.keys()]) this.end(id);
  }

  private async open(
    topic: SubscriptionTopic,
    start: (deliver: Deliver) => Unsubscribe | Promise<Unsubscribe>,
    opened: Subscription[],
  ): Promise<string> {
    const limit = this.options.maxSubscriptions;
    if (this.subs.size >= limit) {
      throw new RpcServerError(
        { code: "RPC_TOO_MANY_SUBSCRIPTIONS", limit },
        `a connection may hold at most ${limit} subscriptions`,
      );
    }
    const sub: Subscription = {
      id: `0x${randomBytes(8).toString("hex")}`,
      topic,
      ready: false,
      queue: [],
      finalSeen: false,
      ended: false,
    };
    this.subs.set(sub.id, sub);
    let stop: Unsubscribe;
    try {
      stop = await start((result, final) => this.deliver(sub, result, final === true));
    } catch (err) {
      this.subs.delete(sub.id);
      sub.ended = true;
      throw err;
    }
    if (sub.ended) this.safeStop(sub, stop);
    else {
      sub.stop = stop;
      opened.push(sub);
    }
    return sub.id;
  }

  private async deliver(sub: Subscription, result: unknown, final: boolean): Promise<void> {
    if (sub.ended || sub.finalSeen) return;
    let text: string;
    try {
      text = JSON.stringify({ jsonrpc: "2.0", method: "subscription", params: { subscription: sub.id, result } });
    } catch (err) {
      this.modules.logger.error("subscription update is not JSON", { topic: sub.topic, err });
      return;
    }
    if (final) sub.finalSeen = true;
    if (!sub.ready) {
      sub.queue.push(text);
      return;
    }
    const sent = this.modules.send(text);
    if (final) this.end(sub.id);
    await sent;
  }

  private activate(sub: Subscription): void {
    if (sub.ended) return;
    sub.ready = true;
    const queued = sub.queue;
    sub.queue = [];
    for (const text of queued) void this.modules.send(text);
    if (sub.finalSeen) this.end(sub.id);
  }

  private end(id: string): boolean {
    const sub = this.subs.get(id);
    if (!sub) return false;
    this.subs.delete(id);
    sub.ended = true;
    sub.queue = [];
    if (sub.stop) this.safeStop(sub, sub.stop);
    return true;
  }

  private safeStop(sub: Subscription, stop: Unsubscribe): void {
    try {
      stop();
    } catch (err) {
      this.modules.logger.warn("unsubscribe failed", { topic: sub.topic, err });
    }
  }
}
