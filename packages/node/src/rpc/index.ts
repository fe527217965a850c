export type { AccountRef, NodeApi, Unsubscribe } from "./api.js";
export {
  blockHeaderToJson,
  blockToJson,
  commitToJson,
  encodedTransactionToJson,
  evidenceToJson,
  newBlockToJson,
  receiptToJson,
  transactionToJson,
  txInclusionProofJson,
  validatorsToJson,
} from "./convert.js";
export type { DispatcherOptions, MessageContext } from "./dispatch.js";
export { RpcDispatcher } from "./dispatch.js";
export {
  GENERIC_APPLICATION_ERROR,
  RPC_ERROR_CODES,
  RPC_ERROR_PREFIXES,
  rpcCodeFor,
  toJsonRpcError,
} from "./error-codes.js";
export type { NodeApiErrorType, ParamIssue, RpcServerErrorType } from "./errors.js";
export { NodeApiError, notFound, RpcServerError } from "./errors.js";
export type { CallContext, RpcMethod } from "./methods.js";
export { RPC_METHODS } from "./methods.js";
export { openRpcDocument, RPC_API_VERSION } from "./openrpc.js";
export { DEFAULT_HISTORY_LIMIT, DEFAULT_WAIT_MS, MAX_HISTORY_LIMIT, MAX_WAIT_MS } from "./params.js";
export type { RpcServerModules, RpcServerOptions } from "./server.js";
export { DEFAULT_RPC_OPTIONS, RpcServer } from "./server.js";
export * from "./types.js";
