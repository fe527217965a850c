/**
 * The zod schemas of RPC parameters. Each turns JSON into what NodeApi takes (hex into Uint8Array) and,
 * through `z.toJSONSchema(..., { io: "input" })`, documents the JSON a caller sends.
 */
import { addressFromPublicKey, hexToBytes, isAddress, MAX_TRANSACTION_BYTES } from "@hansa/core";
import { z } from "zod";
import type { AccountRef } from "./api.js";
import { HASH_PATTERN, HEX_PATTERN } from "./types.js";

export const hashParam = z
  .string()
  .regex(HASH_PATTERN, "expected 32 bytes as 0x-hex")
  .describe("32 bytes as 0x-prefixed hex")
  .transform((s) => hexToBytes(s));

export const txParam = z
  .string()
  .max(2 + 2 * MAX_TRANSACTION_BYTES, `expected at most ${MAX_TRANSACTION_BYTES} bytes`)
  .regex(HEX_PATTERN, "expected bytes as 0x-hex")
  .describe("the encoded, signed transaction (canonical CBOR) as 0x-prefixed hex")
  .transform((s) => hexToBytes(s));

export const heightParam = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe("block height");

export const blockRefParam = z.union([heightParam, z.literal("latest")]);

export const accountParam = z
  .string()
  .describe("a bech32m address (hansa1...) or a 32-byte Ed25519 public key as 0x-hex")
  .refine((s) => HASH_PATTERN.test(s) || isAddress(s), "expected a hansa1... address or a 0x-hex public key")
  .transform((s): AccountRef => {
    if (!HASH_PATTERN.test(s)) return { address: s };
    const publicKey = hexToBytes(s);
    return { address: addressFromPublicKey(publicKey), publicKey };
  });

export const namespaceParam = z.string().min(1).max(64).describe("namespace name");
export const keyParam = z.string().min(1).max(1024).describe("record key");

export const MAX_WAIT_MS = 60_000;
export const DEFAULT_WAIT_MS = 30_000;

export const timeoutParam = z
  .number()
  .int()
  .min(0)
  .max(MAX_WAIT_MS)
  .describe(`milliseconds to wait for the commit (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS})`);

// The ledger reads one key per version; a page stays small so one call stays cheap (ledger MAX_HISTORY_PAGE).
export const MAX_HISTORY_LIMIT = 100;
export const DEFAULT_HISTORY_LIMIT = 20;
/** Evidence pieces are a few hundred bytes each; a page stays well under the response limits. */
export const MAX_EVIDENCE_PAGE = 100;

export const historyOptionsParam = z.strictObject({
  limit: z.number().int().min(1).max(MAX_HISTORY_LIMIT).optional(),
  cursor: z.string().max(1024).optional(),
});

export const subscriptionIdParam = z.string().min(1).max(64).describe("the id `subscribe` returned");
