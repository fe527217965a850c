import { z } from "zod";
import { rpcCodeFor } from "./error-codes.js";
import type { RpcMethod } from "./methods.js";

export const RPC_API_VERSION = "1.0.0";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Params are documented as the JSON a caller sends (before hex becomes bytes), results as what it gets.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-07", io, unrepresentable: "any" });
  return rest;
}

/**
 * The OpenRPC 1.3 document (https://spec.open-rpc.org) served by `rpc.discover`, derived from the same zod
 * schemas that validate params and type results, so it cannot describe a method other than it behaves.
 */
export function openRpcDocument(methods: readonly RpcMethod[]): Record<string, unknown> {
  return {
    openrpc: "1.3.2",
    info: {
      title: "Hansa JSON-RPC",
      version: RPC_API_VERSION,
      description:
        "JSON-RPC 2.0 over HTTP POST and WebSocket on one port. Bytes are 0x-hex. Params may be given by " +
        "position or by name. Every error carries data.code, the Hansa error code string.",
    },
    methods: methods.map((m) => {
      const shape = m.params.shape as Record<string, z.ZodType>;
      return {
        name: m.name,
        summary: m.summary,
        paramStructure: "either",
        params: Object.entries(shape).map(([name, schema]) => ({
          name,
          required: !schema.safeParse(undefined).success,
          schema: jsonSchema(schema, "input"),
        })),
        result: { name: `${m.name}Result`, schema: jsonSchema(m.result, "output") },
        errors: m.errors.map((code) => ({ code: rpcCodeFor(code), message: code, data: { code } })),
      };
    }),
  };
}
