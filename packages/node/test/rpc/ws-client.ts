import WebSocket from "ws";

export type Message = {
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data: { code: string } };
  method?: string;
  params?: { subscription: string; result: unknown };
};

/** A bare WebSocket JSON-RPC peer for tests: records every message in arrival order. */
export class TestSocket {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new TestSocket(ws);
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  /** Sends a call and resolves with its response. */
  async request(method: string, params?: unknown): Promise<Message> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return this.waitFor((m) => m.id === id);
  }

  /** Resolves with the first recorded message matching `pred` (already received or yet to come). */
  async waitFor(pred: (m: Message) => boolean): Promise<Message> {
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves when `count` updates of a subscription have arrived. */
  async updates(subscription: string, count: number): Promise<unknown[]> {
    for (;;) {
      const got = this.updatesSoFar(subscription);
      if (got.length >= count) return got;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  updatesSoFar(subscription: string): unknown[] {
    return this.messages.filter((m) => m.params?.subscription === subscription).map((m) => m.params?.result);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}
