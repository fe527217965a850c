import { HansaError } from "@hansa/core";

/** A problem with one JSON-RPC issue, as zod reports it: where in the params, and what was expected. */
export interface ParamIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Errors the RPC layer itself raises. Each code has a row in error-codes.ts like any other HansaError code,
 * so protocol errors and application errors reach the wire through the same table.
 */
export type RpcServerErrorType =
  | { code: "RPC_PARSE_ERROR" }
  | { code: "RPC_INVALID_REQUEST"; reason: string }
  | { code: "RPC_BATCH_TOO_LARGE"; size: number; limit: number }
  | { code: "RPC_REQUEST_TOO_LARGE"; limit: number }
  | { code: "RPC_METHOD_NOT_FOUND"; method: string }
  | { code: "RPC_INVALID_PARAMS"; issues: ParamIssue[] }
  | { code: "RPC_INTERNAL" }
  | { code: "RPC_WEBSOCKET_REQUIRED"; method: string }
  | { code: "RPC_TOO_MANY_SUBSCRIPTIONS"; limit: number }
  | { code: "RPC_UNAVAILABLE"; reason: string };

export class RpcServerError extends HansaError<RpcServerErrorType> {
  constructor(type: RpcServerErrorType, message: string) {
    super(type, message);
    this.name = "RpcServerError";
  }
}

/**
 * The generic errors a NodeApi implementation throws for lookups and waits. They live here so the runtime
 * and the test API raise the same codes the table maps.
 */
export type NodeApiErrorType =
  | { code: "NOT_FOUND"; what: string; id: string }
  | { code: "TIMEOUT"; hash?: string; timeoutMs: number }
  | { code: "TX_EVICTED"; hash: string; reason: string };

export class NodeApiError extends HansaError<NodeApiErrorType> {
  constructor(type: NodeApiErrorType, message: string) {
    super(type, message);
    this.name = "NodeApiError";
  }
}

export function notFound(what: string, id: string | number): NodeApiError {
  return new NodeApiError({ code: "NOT_FOUND", what, id: String(id) }, `${what} ${id} not found`);
}
