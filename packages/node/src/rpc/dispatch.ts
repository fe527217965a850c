import { performance } from "node:perf_hooks";
import type { Logger, Metrics } from "../observability/index.js";
import type { NodeApi } from "./api.js";
import { toJsonRpcError } from "./error-codes.js";
import { type ParamIssue, RpcServerError } from "./errors.js";
import { pathPart, RPC_METHODS, type RpcMethod } from "./methods.js";
import { openRpcDocument } from "./openrpc.js";
import type { SubscriptionSink } from "./subscriptions.js";
import type { JsonRpcError, JsonRpcId } from "./types.js";

export interface DispatcherOptions {
  /** Most calls in one batch; a larger batch is refused whole. */
  maxBatch: number;
}

export interface DispatcherModules {
  api: NodeApi;
  logger: Logger;
  metrics?: Metrics;
  /** Methods beyond the standard table (the test hooks of a node started for fault tests). */
  extraMethods?: readonly RpcMethod[];
}

/** Where a message came from: a WebSocket message can subscribe, an HTTP request cannot. */
export interface MessageContext {
  subscriptions?: SubscriptionSink;
}

const MAX_REPORTED_ISSUES = 10;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorText(id: JsonRpcId, error: JsonRpcError): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error });
}

/**
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over any transport that carries text: parses a
 * message, answers each call or batch, and never throws. Returns the response text, or undefined when the
 * message held only notifications and nothing must be sent back.
 */
export class RpcDispatcher {
  private readonly methods: ReadonlyMap<string, RpcMethod>;
  private readonly methodList: readonly RpcMethod[];
  private document: Record<string, unknown> | undefined;

  constructor(
    private readonly options: DispatcherOptions,
    private readonly modules: DispatcherModules,
  ) {
    this.methodList = [...RPC_METHODS, ...(modules.extraMethods ?? [])];
    this.methods = new Map(this.methodList.map((m) => [m.name, m]));
  }

  /** The OpenRPC document, built on first use. */
  discover(): Record<string, unknown> {
    this.document ??= openRpcDocument(this.methodList);
    return this.document;
  }

  async handle(text: string, ctx: MessageContext = {}): Promise<string | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return errorText(null, toJsonRpcError(new RpcServerError({ code: "RPC_PARSE_ERROR" }, "parse error: not JSON")));
    }
    if (!Array.isArray(message)) return this.handleCall(message, ctx);
    if (message.length === 0) {
      const err = new RpcServerError(
        { code: "RPC_INVALID_REQUEST", reason: "empty batch" },
        "invalid request: empty batch",
      );
      return errorText(null, toJsonRpcError(err));
    }
    if (message.length > this.options.maxBatch) {
      const limit = this.options.maxBatch;
      const err = new RpcServerError(
        { code: "RPC_BATCH_TOO_LARGE", size: message.length, limit },
        `invalid request: batch of ${message.length} calls exceeds the limit of ${limit}`,
      );
      return errorText(null, toJsonRpcError(err));
    }
    const answers = await Promise.all(message.map((call) => this.handleCall(call, ctx)));
    const parts = answers.filter((a): a is string => a !== undefined);
    // A batch of notifications gets no answer at all, not an empty array (specification section 6).
    return parts.length === 0 ? undefined : `[${parts.join(",")}]`;
  }

  /** One call of a message; undefined for a notification. */
  private async handleCall(call: unknown, ctx: MessageContext): Promise<string | undefined> {
    const invalid = (id: JsonRpcId, reason: string) =>
      errorText(
        id,
        toJsonRpcError(new RpcServerError({ code: "RPC_INVALID_REQUEST", reason }, `invalid request: ${reason}`)),
      );
    if (!isPlainObject(call)) return invalid(null, "a call must be an object");
    const hasId = Object.hasOwn(call, "id");
    const rawId = call.id;
    if (hasId && rawId !== null && typeof rawId !== "string" && typeof rawId !== "number") {
      return invalid(null, "id must be a string, a number or null");
    }
    const id = hasId ? (rawId as JsonRpcId) : null;
    if (call.jsonrpc !== "2.0") return invalid(id, 'jsonrpc must be exactly "2.0"');
    if (typeof call.method !== "string") return invalid(id, "method must be a string");
    if (call.params !== undefined && typeof call.params !== "object") {
      return invalid(id, "params must be an array or an object");
    }
    if (call.params === null) return invalid(id, "params must be an array or an object");

    const name = call.method;
    const method = this.methods.get(name);
    const label = method ? name : "unknown";
    const started = performance.now();
    let response: string;
    try {
      if (!method) {
        const shown = name.slice(0, 100);
        throw new RpcServerError({ code: "RPC_METHOD_NOT_FOUND", method: shown }, `method not found: ${shown}`);
      }
      const params = this.parseParams(method, call.params);
      const result = await method.call(
        { api: this.modules.api, subscriptions: ctx.subscriptions, discover: () => this.discover() },
        params,
      );
      response = JSON.stringify({ jsonrpc: "2.0", id, result: result ?? null });
    } catch (err) {
      const error = toJsonRpcError(err);
      if (error.data.code === "RPC_INTERNAL") {
        this.modules.logger.error("rpc call failed", { method: label, err });
      } else {
        this.modules.logger.debug("rpc call refused", { method: label, code: error.data.code });
      }
      this.modules.metrics?.rpcErrorsTotal.inc({ method: label, code: error.data.code });
      response = errorText(id, error);
    }
    this.modules.metrics?.rpcRequestDurationSeconds.observe({ method: label }, (performance.now() - started) / 1000);
    return hasId ? response : undefined;
  }

  /** Positional params become named by the method's key order; then one strict schema checks both forms. */
  private parseParams(method: RpcMethod, raw: unknown): Record<string, unknown> {
    const names = Object.keys(method.params.shape);
    let named: unknown = raw ?? {};
    if (Array.isArray(raw)) {
      if (raw.length > names.length) {
        throw invalidParams([{ path: [], message: `expected at most ${names.length} params, got ${raw.length}` }]);
      }
      const obj: Record<string, unknown> = {};
      raw.forEach((value, i) => {
        // A null in a positional slot means "not given", as many clients send for trailing optionals.
        if (value !== null) obj[names[i] as string] = value;
      });
      named = obj;
    }
    const parsed = method.params.safeParse(named);
    if (!parsed.success) {
      throw invalidParams(
        parsed.error.issues
          .slice(0, MAX_REPORTED_ISSUES)
          .map((i) => ({ path: i.path.map(pathPart), message: i.message })),
      );
    }
    return parsed.data;
  }
}

function invalidParams(issues: ParamIssue[]): RpcServerError {
  const where = issues[0] && issues[0].path.length > 0 ? `${issues[0].path.join(".")}: ` : "";
  return new RpcServerError({ code: "RPC_INVALID_PARAMS", issues }, `invalid params: ${where}${issues[0]?.message}`);
}
