import { isHansaError } from "@hansa/core";
import type { JsonRpcError, RpcErrorData } from "./types.js";

/**
 * THE table from Hansa error codes to JSON-RPC error codes. The standard codes come from the JSON-RPC 2.0
 * specification (section 5.1); application codes live in the server range -32000..-32099, grouped by tens
 * so a client can branch on the group:
 *   -32000          any other application error (the Hansa code string is in `data.code`)
 *   -32001..-32009  lookups, waits and node availability
 *   -32010..-32019  a transaction that can never be valid as sent (fix it, do not retry)
 *   -32020..-32029  ordering: nonces, duplicates (retry with another nonce, or nothing to do)
 *   -32030..-32039  authority: membership and permissions
 *   -32040..-32049  capacity and the mempool's fate for a transaction (retry later)
 *   -32050..-32059  WebSocket subscriptions
 * A code's number never changes once released; new codes take free numbers in their group.
 */
export const RPC_ERROR_CODES = {
  // JSON-RPC 2.0 standard codes.
  RPC_PARSE_ERROR: -32700,
  RPC_INVALID_REQUEST: -32600,
  RPC_BATCH_TOO_LARGE: -32600,
  RPC_REQUEST_TOO_LARGE: -32600,
  RPC_METHOD_NOT_FOUND: -32601,
  RPC_INVALID_PARAMS: -32602,
  ADDRESS_INVALID: -32602,
  RPC_INTERNAL: -32603,

  // Lookups, waits and node availability.
  NOT_FOUND: -32001,
  LEDGER_NOT_FOUND: -32001,
  LEDGER_RECORD_NOT_FOUND: -32001,
  LEDGER_UNKNOWN_NAMESPACE: -32001,
  TIMEOUT: -32002,
  RPC_UNAVAILABLE: -32003,
  MEMPOOL_STOPPED: -32003,
  LEDGER_BAD_QUERY: -32004,

  // Transactions that can never be valid as sent.
  ENCODING_OVERSIZE: -32010,
  ENCODING_MALFORMED: -32010,
  ENCODING_TRAILING_BYTES: -32010,
  ENCODING_NON_CANONICAL: -32010,
  ENCODING_SCHEMA: -32010,
  MEMPOOL_MALFORMED: -32010,
  MEMPOOL_TX_TOO_LARGE: -32011,
  LEDGER_TX_TOO_LARGE: -32011,
  LEDGER_VALUE_TOO_LARGE: -32011,
  MEMPOOL_WRONG_CHAIN: -32012,
  LEDGER_WRONG_CHAIN: -32012,
  MEMPOOL_BAD_SIGNATURE: -32013,
  LEDGER_BAD_SIGNATURE: -32013,
  LEDGER_UNKNOWN_KIND: -32014,
  LEDGER_BAD_PAYLOAD: -32015,

  // Ordering.
  LEDGER_NONCE_STALE: -32020,
  MEMPOOL_NONCE_TOO_LOW: -32020,
  LEDGER_NONCE_GAP: -32021,
  MEMPOOL_NONCE_GAP: -32021,
  MEMPOOL_DUPLICATE: -32022,
  MEMPOOL_ALREADY_COMMITTED: -32023,
  MEMPOOL_NONCE_TAKEN: -32024,

  // Authority.
  LEDGER_NOT_MEMBER: -32030,
  LEDGER_UNKNOWN_ACCOUNT: -32030,
  LEDGER_PERMISSION_DENIED: -32031,
  LEDGER_NOT_VALIDATOR: -32031,

  // Capacity and the mempool's fate for a transaction.
  MEMPOOL_FULL: -32040,
  MEMPOOL_BUSY: -32040,
  TX_EVICTED: -32041,

  // WebSocket subscriptions.
  RPC_WEBSOCKET_REQUIRED: -32050,
  RPC_TOO_MANY_SUBSCRIPTIONS: -32051,
} as const satisfies Record<string, number>;

/**
 * Codes not in the table fall back by prefix, so a domain's new code lands in the right group before the
 * table learns it. Checked in order; the last resort is -32000.
 */
export const RPC_ERROR_PREFIXES: readonly (readonly [prefix: string, rpcCode: number])[] = [
  ["ENCODING_", -32010],
  ["LEDGER_", -32039],
  ["MEMPOOL_", -32049],
];

export const GENERIC_APPLICATION_ERROR = -32000;

export function rpcCodeFor(hansaCode: string): number {
  // Own keys only: a code such as "toString" must not find Object.prototype.
  if (Object.hasOwn(RPC_ERROR_CODES, hansaCode))
    return (RPC_ERROR_CODES as Record<string, number>)[hansaCode] as number;
  for (const [prefix, code] of RPC_ERROR_PREFIXES) if (hansaCode.startsWith(prefix)) return code;
  return GENERIC_APPLICATION_ERROR;
}

/** The metadata of a HansaError as JSON: bytes as hex, nothing that JSON cannot carry. */
function jsonMetadata(type: Record<string, unknown>): RpcErrorData {
  const out: RpcErrorData = { code: String(type.code) };
  for (const [k, v] of Object.entries(type)) {
    if (k === "code") continue;
    if (v instanceof Uint8Array) out[k] = `0x${Buffer.from(v).toString("hex")}`;
    else if (typeof v === "bigint") out[k] = v.toString();
    else if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v;
    else {
      try {
        // Plain arrays and objects pass through only when they survive a JSON round trip.
        out[k] = JSON.parse(JSON.stringify(v));
      } catch {
        // Metadata that is not JSON (a cycle, a bigint inside) is dropped rather than failing the response.
      }
    }
  }
  return out;
}

/**
 * Turns anything thrown while answering a call into the error object of a response. A HansaError keeps its
 * message and metadata; anything else is an internal error whose details stay in the server's log.
 */
export function toJsonRpcError(err: unknown): JsonRpcError {
  if (isHansaError(err)) {
    const data = jsonMetadata(err.type as Record<string, unknown>);
    return { code: rpcCodeFor(data.code), message: err.message, data };
  }
  return { code: -32603, message: "internal error", data: { code: "RPC_INTERNAL" } };
}
