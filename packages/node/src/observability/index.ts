export type { LogFields, Logger, LoggerOptions, LogLevel } from "./logger.js";
export { createLogger, LOG_LEVELS, silentLogger } from "./logger.js";
export type { Metrics, MetricsOptions } from "./metrics.js";
export { createMetrics } from "./metrics.js";
