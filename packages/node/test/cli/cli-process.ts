import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * Runs the built `hansa` CLI as child processes. The CLI runs from dist/: Node's type stripping cannot run
 * the node's sources (they use parameter properties), so `pnpm test` builds first.
 */
export const CLI_MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export function assertBuilt(): void {
  const tx = fileURLToPath(new URL("../../dist/cli/commands/tx.js", import.meta.url));
  if (!existsSync(CLI_MAIN) || !existsSync(tx)) {
    throw new Error(`${CLI_MAIN} is missing or stale: run \`pnpm build\` (tsc -b) before these tests`);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hansa ...args` to completion. The environment is the test's, minus HANSA_RPC unless given. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { HANSA_RPC: _ignored, ...base } = process.env;
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...base, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Parses stdout as one JSON document, with the whole output in the message when it is not. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

export interface DevNode {
  url: string;
  stop: () => Promise<void>;
}

/**
 * `hansa start --home` as a child process. The home was made with `--rpc-port 0 --p2p-port 0`, so the RPC URL
 * is read from the "node started" log line. Stdout is drained for the node's whole life: a full pipe would
 * block its logging.
 */
export async function startNode(home: string): Promise<DevNode> {
  const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, "start", "--home", home], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`hansa start exited with ${code}:\n${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; rpc?: string };
        if (entry.msg === "node started" && entry.rpc) resolve(entry.rpc);
      } catch {
        // not a log line
      }
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
