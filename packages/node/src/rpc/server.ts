import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { type Logger, type Metrics, silentLogger } from "../observability/index.js";
import type { NodeApi } from "./api.js";
import { RpcDispatcher } from "./dispatch.js";
import { toJsonRpcError } from "./error-codes.js";
import { RpcServerError } from "./errors.js";
import type { RpcMethod } from "./methods.js";
import { ConnectionSubscriptions } from "./subscriptions.js";
import type { HealthJson } from "./types.js";

export interface RpcServerOptions {
  /** Interface to listen on; loopback unless the operator opens it up. */
  host?: string;
  /** 0 picks a free port (read it back from `port`). */
  port?: number;
  /** Largest HTTP body or WebSocket message. Larger HTTP bodies get 413; larger messages close the socket. */
  maxRequestBytes?: number;
  /** Most calls in one batch. */
  maxBatch?: number;
  maxWebSocketConnections?: number;
  maxSubscriptionsPerConnection?: number;
  /** A WebSocket whose unsent output exceeds this is closed (code 1008): it reads slower than we write. */
  maxBufferedBytes?: number;
  /** Pings every open WebSocket this often and drops those that did not answer the last ping. */
  pingIntervalMs?: number;
}

export interface RpcServerModules {
  api: NodeApi;
  logger?: Logger;
  metrics?: Metrics;
  /** Methods beyond the standard table (the test hooks of a node started for fault tests). */
  extraMethods?: readonly RpcMethod[];
}

export const DEFAULT_RPC_OPTIONS = {
  host: "127.0.0.1",
  port: 0,
  // A transaction is at most 72 KiB, 144 KiB as hex; this leaves room for a batch of a dozen.
  maxRequestBytes: 2 * 1024 * 1024,
  maxBatch: 100,
  maxWebSocketConnections: 1000,
  maxSubscriptionsPerConnection: 64,
  maxBufferedBytes: 16 * 1024 * 1024,
  pingIntervalMs: 30_000,
} as const satisfies Required<RpcServerOptions>;

/** Below this much unsent output a subscription update counts as delivered at once. */
const SEND_HIGH_WATER_BYTES = 1024 * 1024;

const WS_PATHS = new Set(["/", "/ws"]);

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

/**
 * The JSON-RPC server: HTTP POST and WebSocket on one port, plus `GET /health` and `GET /metrics`. It knows
 * the node only through NodeApi.
 */
export class RpcServer {
  private readonly options: Required<RpcServerOptions>;
  private readonly logger: Logger;
  private readonly dispatcher: RpcDispatcher;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakSet<WebSocket>();
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    options: RpcServerOptions,
    private readonly modules: RpcServerModules,
  ) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULT_RPC_OPTIONS, ...defined };
    this.logger = (modules.logger ?? silentLogger).child({ module: "rpc" });
    this.dispatcher = new RpcDispatcher(
      { maxBatch: this.options.maxBatch },
      {
        api: modules.api,
        logger: this.logger,
        ...(modules.metrics ? { metrics: modules.metrics } : {}),
        ...(modules.extraMethods ? { extraMethods: modules.extraMethods } : {}),
      },
    );
    this.http = createServer((req, res) => {
      this.route(req, res).catch((err) => {
        this.logger.error("http handler failed", { err });
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end();
      });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxRequestBytes });
    this.http.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
    this.http.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off("error", reject);
        resolve();
      });
    });
    this.pingTimer = setInterval(() => this.pingAll(), this.options.pingIntervalMs);
    this.pingTimer.unref();
    this.logger.info("rpc listening", { url: this.url });
  }

  async stop(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    this.logger.info("rpc stopped");
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    const { address, family, port } = this.http.address() as AddressInfo;
    return `http://${family === "IPv6" ? `[${address}]` : address}:${port}`;
  }

  get wsUrl(): string {
    return this.url.replace(/^http/, "ws");
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) return this.health(res);
    if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD") && this.modules.metrics) {
      await this.refreshGauges(this.modules.metrics);
      const text = await this.modules.metrics.text();
      res.writeHead(200, { "content-type": this.modules.metrics.contentType });
      res.end(text);
      return;
    }
    if (path !== "/") {
      sendJson(res, 404, { error: "not found" });
      return;
    }
    if (req.method !== "POST") {
      const err = new RpcServerError(
        { code: "RPC_INVALID_REQUEST", reason: "use POST" },
        `invalid request: JSON-RPC calls are sent with POST, not ${req.method}`,
      );
      res.setHeader("allow", "POST");
      sendJson(res, 405, { jsonrpc: "2.0", id: null, error: toJsonRpcError(err) });
      return;
    }
    const body = await this.readBody(req, res);
    if (body === undefined) return;
    const answer = await this.dispatcher.handle(decodeUtf8(body));
    if (answer === undefined) {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(answer);
  }

  /** The body, or undefined after answering 413 (or when the client aborted). */
  private async readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    const limit = this.options.maxRequestBytes;
    const tooLarge = () => {
      const err = new RpcServerError(
        { code: "RPC_REQUEST_TOO_LARGE", limit },
        `invalid request: body exceeds the limit of ${limit} bytes`,
      );
      // Closing the connection stops a sender that would otherwise keep streaming the rest of the body.
      res.setHeader("connection", "close");
      sendJson(res, 413, { jsonrpc: "2.0", id: null, error: toJsonRpcError(err) });
    };
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      tooLarge();
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) {
          tooLarge();
          return undefined;
        }
        chunks.push(chunk);
      }
    } catch (err) {
      // The client went away mid-body; there is no one to answer.
      this.logger.debug("request body aborted", { err });
      return undefined;
    }
    return Buffer.concat(chunks);
  }

  private async health(res: ServerResponse): Promise<void> {
    let body: HealthJson;
    try {
      const s = await this.modules.api.chainStatus();
      body = { status: "ok", height: s.height, syncing: s.syncing, peers: s.peers };
    } catch (err) {
      this.logger.warn("health check failed", { err });
      body = { status: "unavailable" };
    }
    sendJson(res, body.status === "ok" ? 200 : 503, body);
  }

  /**
   * Gauges that NodeApi can read are set at scrape time, so they are right even between the runtime's own
   * updates. Counters and histograms (rounds, block time, committed transactions) stay the runtime's.
   */
  private async refreshGauges(metrics: Metrics): Promise<void> {
    try {
      const [status, mempool] = await Promise.all([this.modules.api.chainStatus(), this.modules.api.mempoolStatus()]);
      metrics.height.set(status.height);
      metrics.peers.set(status.peers);
      metrics.mempoolSize.set(mempool.size);
      metrics.mempoolBytes.set(mempool.bytes);
    } catch (err) {
      this.logger.warn("metrics refresh failed", { err });
    }
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!WS_PATHS.has(pathOf(req))) refuse("404 Not Found");
    else if (this.wss.clients.size >= this.options.maxWebSocketConnections) refuse("503 Service Unavailable");
    else this.wss.handleUpgrade(req, socket, head, (ws) => this.connection(ws));
  }

  private connection(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on("pong", () => this.alive.add(ws));
    const send = (text: string): Promise<void> => {
      if (ws.readyState !== ws.OPEN) return Promise.resolve();
      if (ws.bufferedAmount > this.options.maxBufferedBytes) {
        this.logger.warn("websocket reader too slow, closing", { buffered: ws.bufferedAmount });
        ws.close(1008, "reader too slow");
        return Promise.resolve();
      }
      const wait = ws.bufferedAmount > SEND_HIGH_WATER_BYTES;
      return new Promise((resolve) => {
        ws.send(text, () => resolve());
        if (!wait) resolve();
      });
    };
    const subs = new ConnectionSubscriptions(
      { maxSubscriptions: this.options.maxSubscriptionsPerConnection },
      { send, logger: this.logger },
    );
    ws.on("message", (data) => {
      const scope = subs.scope();
      this.dispatcher
        .handle(rawToText(data), { subscriptions: scope.sink })
        .then(async (answer) => {
          if (answer !== undefined) await send(answer);
          scope.activate();
        })
        .catch((err) => this.logger.error("websocket message failed", { err }));
    });
    ws.on("close", () => subs.closeAll());
    ws.on("error", (err) => this.logger.debug("websocket error", { err }));
  }

  private pingAll(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes that are not UTF-8 cannot be JSON: they become "", which the dispatcher answers with a parse error. */
function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    return "";
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
