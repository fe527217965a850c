import { HansaError } from "@hansa/core";
import { type Command, Option } from "commander";
import { HansaClient } from "../client/client.js";
import { isRpcError, RpcTransportError } from "../client/errors.js";
import { parseUrl } from "./args.js";
import { fail, type OutputOptions } from "./output.js";

/** What `hansa tx …` and `hansa query …` share: where the node is, how to print, how to fail. */

export const DEFAULT_RPC_URL = "http://127.0.0.1:26657";
export const RPC_URL_ENV = "HANSA_RPC";

export interface RpcOptions {
  rpc: string;
  json?: boolean;
}

export function addRpcOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--rpc <url>", "JSON-RPC URL of the node")
        .env(RPC_URL_ENV)
        .default(DEFAULT_RPC_URL)
        .argParser(parseUrl),
    )
    .option("--json", 'print the result as JSON; errors become {"error":{code,message,data}} on stdout');
}

/**
 * Usage errors (unknown option, missing or malformed value) exit with 2, failures of the request with 1, so
 * a script can tell "fix the command line" from "the node said no". Set before subcommands are added: they
 * inherit it.
 */
export function exitTwoOnUsageError(command: Command): Command {
  return command.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
}

export function createClient(options: RpcOptions): HansaClient {
  return new HansaClient(options.rpc);
}

/** The error a command reports: the Hansa code string, the message, and the server's metadata. */
export class CommandError extends HansaError<{ code: string }> {
  readonly data: Record<string, unknown> | undefined;

  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super({ code }, message);
    this.name = "CommandError";
    this.data = data;
  }
}

/** Turns client errors into what the user needs: the server's code, or why the node could not be asked. */
export function toCommandError(err: unknown): unknown {
  if (isRpcError(err)) return new CommandError(err.reason, err.message, { ...err.data, rpcCode: err.code });
  if (err instanceof RpcTransportError) {
    const { url, status } = err.type;
    if (status !== undefined) {
      return new CommandError(err.code, `${url} is not a Hansa JSON-RPC endpoint (HTTP ${status})`, { url, status });
    }
    // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, a timeout) as its cause.
    const cause = err.cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
    const why = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? err.message;
    return new CommandError(
      err.code,
      `cannot reach a Hansa node at ${url} (${why}); is it running? pass its URL with --rpc or ${RPC_URL_ENV}`,
      { url },
    );
  }
  return err;
}

/**
 * Runs a command's action and reports a failure with its Hansa code (exit 1). Commander passes the
 * positional arguments first, then the options, then the command; a positional argument may itself be an
 * object (a parsed block reference), so the options are found by position.
 */
export function rpcAction<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await run(...args);
    } catch (err) {
      fail((args.at(-2) ?? {}) as OutputOptions, toCommandError(err));
    }
  };
}
