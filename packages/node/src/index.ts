// @hansa/node: the hansa validator and its client.

export * from "./client/index.js";
export type { NodeConfig, NodeConfigInput } from "./config/config.js";
export { ConfigError, loadConfig, parseConfig } from "./config/config.js";
export type { InitOptions, LoadedHome } from "./config/home.js";
export { devGenesis, initHome, loadHome } from "./config/home.js";
export type { PayloadOf, TxKind } from "./ledger/index.js";
export * as ledger from "./ledger/index.js";
export { buildPayload, TX_KINDS } from "./ledger/index.js";
export type { Logger, Metrics } from "./observability/index.js";
export { createLogger, createMetrics } from "./observability/index.js";
export { HansaNode } from "./runtime/node.js";
export type { TestnetLayout, TestnetNode } from "./testnet/layout.js";
export { createTestnet, readTestnet } from "./testnet/layout.js";
export { NODE_RUNTIME_ENV, NODE_RUNTIME_FLAGS } from "./testnet/runtime-flags.js";
