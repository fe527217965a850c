import { bytesTo0x } from "@hansa/core";
import { type DestinationStream, pino } from "pino";

/** Structured fields of one log line; `Uint8Array` values are written as 0x-hex, `bigint` as decimal text. */
export type LogFields = Record<string, unknown>;

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The logger every Hansa module takes as an injected dependency. Messages are constant strings; what varies
 * goes in `fields`, so lines can be filtered and aggregated without parsing text.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line, e.g. `{ module: "rpc" }`. */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Written as the `name` field of every line, e.g. the node's name in a testnet. */
  name?: string;
  /** Where lines go; stdout when absent. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
}

function jsonSafe(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesTo0x(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (bindings) => wrap(p.child(bindings)),
  };
}

/** A JSON-lines logger: one object per line with `level` (a label), `time` (ISO 8601), `msg` and the fields. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const p = pino(
    {
      level: options.level ?? "info",
      ...(options.name === undefined ? { base: null } : { base: { name: options.name } }),
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      formatters: {
        // Labels rather than pino's numbers: readable by people and by any log shipper.
        level: (label) => ({ level: label }),
        log: (fields) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(fields)) out[k] = jsonSafe(v);
          return out;
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(p);
}

/** A logger that drops everything; the default where a module is given none. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
