import { HansaError } from "@hansa/core";
import type { RpcErrorData } from "../rpc/types.js";

/**
 * An error response from the server. `code` is the JSON-RPC number (see docs/rpc.md); `data.code` is the
 * Hansa code string (e.g. `MEMPOOL_FULL`), also as `reason`, which is what callers should branch on.
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: RpcErrorData;

  constructor(code: number, message: string, data: RpcErrorData | undefined) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.data = data ?? { code: "RPC_ERROR" };
  }

  get reason(): string {
    return this.data.code;
  }
}

export function isRpcError(err: unknown): err is RpcError {
  return err instanceof RpcError;
}

/** The server could not be reached, or answered with something other than JSON-RPC. */
export type RpcTransportErrorType = { code: "RPC_TRANSPORT"; url: string; status?: number };

export class RpcTransportError extends HansaError<RpcTransportErrorType> {
  constructor(type: RpcTransportErrorType, message: string, options?: { cause?: unknown }) {
    super(type, message);
    this.name = "RpcTransportError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
