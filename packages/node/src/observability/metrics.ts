import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface MetricsOptions {
  /** Also export the process metrics (CPU, memory, event loop lag, ...) that prom-client collects. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ node: "validator-1" }` when several nodes share a scraper. */
  labels?: Record<string, string>;
}

/**
 * The node's Prometheus metrics, one Registry per node so several nodes can live in one process (tests,
 * the in-process testnet). Units are in the names, as Prometheus naming asks.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Height of the latest committed block. */
  readonly height: Gauge;
  /** Consensus round of the height being decided; above 0 means rounds failed. */
  readonly consensusRound: Gauge;
  /** Time between consecutive blocks' timestamps. */
  readonly blockTimeSeconds: Histogram;
  readonly mempoolSize: Gauge;
  readonly mempoolBytes: Gauge;
  readonly peers: Gauge;
  readonly committedTxsTotal: Counter;
  /** Equivocations (two different signed messages for one height/round/step) this node has seen. */
  readonly equivocationsTotal: Counter;
  readonly rpcRequestDurationSeconds: Histogram<"method">;
  /** JSON-RPC error responses by method and application error code string (e.g. `MEMPOOL_FULL`). */
  readonly rpcErrorsTotal: Counter<"method" | "code">;
  /** The exposition text served at `GET /metrics`. */
  text(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    height: new Gauge({ name: "hansa_height", help: "Height of the latest committed block", registers }),
    consensusRound: new Gauge({
      name: "hansa_consensus_round",
      help: "Consensus round of the height being decided",
      registers,
    }),
    blockTimeSeconds: new Histogram({
      name: "hansa_block_time_seconds",
      help: "Seconds between the timestamps of consecutive committed blocks",
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers,
    }),
    mempoolSize: new Gauge({ name: "hansa_mempool_size", help: "Transactions waiting in the mempool", registers }),
    mempoolBytes: new Gauge({
      name: "hansa_mempool_bytes",
      help: "Encoded bytes of the transactions waiting in the mempool",
      registers,
    }),
    peers: new Gauge({ name: "hansa_peers", help: "Connected peers", registers }),
    committedTxsTotal: new Counter({
      name: "hansa_committed_txs_total",
      help: "Transactions committed in blocks",
      registers,
    }),
    equivocationsTotal: new Counter({
      name: "hansa_equivocations_total",
      help: "Equivocations detected: two different signed messages from one validator for one step",
      registers,
    }),
    rpcRequestDurationSeconds: new Histogram({
      name: "hansa_rpc_request_duration_seconds",
      help: "Time to answer one JSON-RPC call, by method",
      labelNames: ["method"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    rpcErrorsTotal: new Counter({
      name: "hansa_rpc_errors_total",
      help: "JSON-RPC error responses, by method and error code",
      labelNames: ["method", "code"],
      registers,
    }),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
