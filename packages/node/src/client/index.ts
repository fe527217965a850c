export type { BlockSubscriptionOptions } from "./block-subscription.js";
export { BlockSubscription } from "./block-subscription.js";
export type { HansaClientOptions, SubmitAndWaitOptions, SubmitOptions } from "./client.js";
export { HansaClient } from "./client.js";
export type { RpcTransportErrorType } from "./errors.js";
export { isRpcError, RpcError, RpcTransportError } from "./errors.js";
