import { MAX_BLOCK_EVIDENCE } from "@hansa/core";
import { z } from "zod";
import type { NodeApi } from "./api.js";
import { RpcServerError } from "./errors.js";
import {
  accountParam,
  blockRefParam,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_WAIT_MS,
  hashParam,
  heightParam,
  historyOptionsParam,
  keyParam,
  MAX_EVIDENCE_PAGE,
  namespaceParam,
  subscriptionIdParam,
  timeoutParam,
  txParam,
} from "./params.js";
import type { SubscriptionSink } from "./subscriptions.js";
import {
  AccountJson,
  BlockJson,
  ChainStatusJson,
  EvidenceListJson,
  HashJson,
  MempoolStatusJson,
  PeerJson,
  StateHistoryJson,
  StateValueJson,
  SubscriptionIdJson,
  TxCommittedJson,
  TxStatusJson,
  TxSubmitResult,
  ValidatorsJson,
} from "./types.js";

/** What a method sees of the call besides its params. */
export interface CallContext {
  api: NodeApi;
  /** The WebSocket connection's subscriptions; absent over HTTP. */
  subscriptions?: SubscriptionSink;
  /** The OpenRPC document, built once by the dispatcher. */
  discover(): Record<string, unknown>;
}

/**
 * One RPC method. `params` is a strict object whose key order is the positional order, so one schema
 * validates both param forms and documents them; `errors` lists the Hansa codes it may return (for docs).
 */
export interface RpcMethod<S extends z.ZodObject = z.ZodObject> {
  name: string;
  summary: string;
  params: S;
  result: z.ZodType;
  errors: readonly string[];
  call(ctx: CallContext, params: z.output<S>): Promise<unknown>;
}

function method<S extends z.ZodObject>(def: RpcMethod<S>): RpcMethod {
  return def as unknown as RpcMethod;
}

function needSubscriptions(ctx: CallContext, method: string): SubscriptionSink {
  if (ctx.subscriptions) return ctx.subscriptions;
  throw new RpcServerError(
    { code: "RPC_WEBSOCKET_REQUIRED", method },
    `${method} needs a WebSocket connection; connect with ws:// to the same port`,
  );
}

const TX_ERRORS = [
  "ENCODING_MALFORMED",
  "MEMPOOL_TX_TOO_LARGE",
  "LEDGER_WRONG_CHAIN",
  "LEDGER_BAD_SIGNATURE",
  "LEDGER_NONCE_STALE",
  "LEDGER_NONCE_GAP",
  "MEMPOOL_DUPLICATE",
  "MEMPOOL_ALREADY_COMMITTED",
  "LEDGER_NOT_MEMBER",
  "LEDGER_PERMISSION_DENIED",
  "LEDGER_UNKNOWN_KIND",
  "LEDGER_BAD_PAYLOAD",
  "MEMPOOL_FULL",
] as const;

const newBlocksOptions = z.strictObject({ fromHeight: heightParam.optional() });
const txOptions = z.strictObject({ hash: hashParam });
// The params schema checks and documents the JSON only; which options fit is checked per topic in `call`.
const subscribeOptions = z.union([newBlocksOptions, z.strictObject({ hash: HashJson })]);

export const RPC_METHODS: readonly RpcMethod[] = [
  method({
    name: "tx_submit",
    summary: "Submits a signed transaction; returns its hash once the mempool admitted it.",
    params: z.strictObject({ tx: txParam }),
    result: TxSubmitResult,
    errors: TX_ERRORS,
    call: (ctx, p) => ctx.api.txSubmit(p.tx),
  }),
  method({
    name: "tx_submitAndWait",
    summary: "Submits a signed transaction and waits for its commit; returns the receipt with its proof.",
    params: z.strictObject({ tx: txParam, timeoutMs: timeoutParam.optional() }),
    result: TxCommittedJson,
    errors: [...TX_ERRORS, "TIMEOUT", "TX_EVICTED"],
    call: (ctx, p) => ctx.api.txSubmitAndWait(p.tx, p.timeoutMs ?? DEFAULT_WAIT_MS),
  }),
  method({
    name: "tx_get",
    summary: "A transaction: committed (height, index, receipt, inclusion proof), pending, or evicted.",
    params: z.strictObject({ hash: hashParam }),
    result: TxStatusJson,
    errors: ["NOT_FOUND"],
    call: (ctx, p) => ctx.api.txGet(p.hash),
  }),
  method({
    name: "block_get",
    summary: 'The block at a height, or the latest with "latest".',
    params: z.strictObject({ height: blockRefParam }),
    result: BlockJson,
    errors: ["NOT_FOUND"],
    call: (ctx, p) => ctx.api.blockGet(p.height),
  }),
  method({
    name: "block_getByHash",
    summary: "The block with a hash.",
    params: z.strictObject({ hash: hashParam }),
    result: BlockJson,
    errors: ["NOT_FOUND"],
    call: (ctx, p) => ctx.api.blockGetByHash(p.hash),
  }),
  method({
    name: "chain_status",
    summary: "Chain id, height, latest block, syncing, node id, whether this node validates, peer count.",
    params: z.strictObject({}),
    result: ChainStatusJson,
    errors: [],
    call: (ctx) => ctx.api.chainStatus(),
  }),
  method({
    name: "chain_validators",
    summary: "The validator set that votes at a height (default: the next height).",
    params: z.strictObject({ height: heightParam.optional() }),
    result: ValidatorsJson,
    errors: ["NOT_FOUND"],
    call: (ctx, p) => ctx.api.chainValidators(p.height),
  }),
  method({
    name: "account_get",
    summary: "An account's nonces, organization and roles.",
    params: z.strictObject({ account: accountParam }),
    result: AccountJson,
    errors: ["ADDRESS_INVALID", "NOT_FOUND"],
    call: (ctx, p) => ctx.api.accountGet(p.account),
  }),
  method({
    name: "state_get",
    summary: "A record's current value with a sparse Merkle proof against the latest state root.",
    params: z.strictObject({ namespace: namespaceParam, key: keyParam }),
    result: StateValueJson,
    errors: ["LEDGER_UNKNOWN_NAMESPACE", "NOT_FOUND"],
    call: (ctx, p) => ctx.api.stateGet(p.namespace, p.key),
  }),
  method({
    name: "state_history",
    summary: "Every version of a record, most recent first, paged by cursor.",
    params: z.strictObject({ namespace: namespaceParam, key: keyParam, options: historyOptionsParam.optional() }),
    result: StateHistoryJson,
    errors: ["LEDGER_UNKNOWN_NAMESPACE", "LEDGER_BAD_QUERY"],
    call: (ctx, p) =>
      ctx.api.stateHistory(p.namespace, p.key, {
        limit: p.options?.limit ?? DEFAULT_HISTORY_LIMIT,
        ...(p.options?.cursor === undefined ? {} : { cursor: p.options.cursor }),
      }),
  }),
  method({
    name: "mempool_status",
    summary: "Transactions and bytes waiting in the mempool, and its limits.",
    params: z.strictObject({}),
    result: MempoolStatusJson,
    errors: [],
    call: (ctx) => ctx.api.mempoolStatus(),
  }),
  method({
    name: "net_peers",
    summary: "The connected peers.",
    params: z.strictObject({}),
    result: z.array(PeerJson),
    errors: [],
    call: (ctx) => ctx.api.netPeers(),
  }),
  method({
    name: "evidence_list",
    summary: "Equivocation by validators, as recorded on chain: who, where, and the two signed messages.",
    params: z.strictObject({
      fromHeight: heightParam.optional(),
      fromIndex: z.number().int().min(0).max(MAX_BLOCK_EVIDENCE).optional().describe("position in that block"),
      limit: z.number().int().min(1).max(MAX_EVIDENCE_PAGE).optional(),
    }),
    result: EvidenceListJson,
    errors: [],
    call: (ctx, p) =>
      ctx.api.evidenceList({ height: p.fromHeight ?? 1, index: p.fromIndex ?? 0 }, p.limit ?? DEFAULT_HISTORY_LIMIT),
  }),
  method({
    name: "rpc.discover",
    summary: "The OpenRPC document describing every method.",
    params: z.strictObject({}),
    result: z.record(z.string(), z.unknown()),
    errors: [],
    call: async (ctx) => ctx.discover(),
  }),
  method({
    name: "subscribe",
    summary:
      'WebSocket only. "newBlocks" with {fromHeight?}: replays from a height, then follows. "tx" with {hash}: ' +
      "the transaction's status until it is committed or evicted. Returns the subscription id; updates " +
      'arrive as "subscription" notifications.',
    params: z.strictObject({
      topic: z.enum(["newBlocks", "tx"]),
      options: subscribeOptions.optional(),
    }),
    result: SubscriptionIdJson,
    errors: ["RPC_WEBSOCKET_REQUIRED", "RPC_TOO_MANY_SUBSCRIPTIONS", "NOT_FOUND"],
    call: async (ctx, p) => {
      const subs = needSubscriptions(ctx, "subscribe");
      if (p.topic === "newBlocks") {
        const options = newBlocksOptions.safeParse(p.options ?? {});
        if (!options.success) throw badOptions(options.error);
        return subs.open("newBlocks", (deliver) => ctx.api.subscribeBlocks(options.data.fromHeight, deliver));
      }
      const options = txOptions.safeParse(p.options);
      if (!options.success) throw badOptions(options.error);
      return subs.open("tx", (deliver) =>
        ctx.api.subscribeTx(options.data.hash, (status) => deliver(status, status.status !== "pending")),
      );
    },
  }),
  method({
    name: "unsubscribe",
    summary: "WebSocket only. Ends a subscription; returns whether it existed.",
    params: z.strictObject({ id: subscriptionIdParam }),
    result: z.boolean(),
    errors: ["RPC_WEBSOCKET_REQUIRED"],
    call: async (ctx, p) => needSubscriptions(ctx, "unsubscribe").close(p.id),
  }),
];

function badOptions(error: z.ZodError): RpcServerError {
  const issues = error.issues.map((i) => ({ path: ["options", ...i.path.map(pathPart)], message: i.message }));
  return new RpcServerError({ code: "RPC_INVALID_PARAMS", issues }, "invalid params: options do not match the topic");
}

export function pathPart(p: PropertyKey): string | number {
  return typeof p === "number" ? p : String(p);
}
