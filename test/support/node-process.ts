import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HansaClient, type TestnetNode } from "@hansa/node";
import { NODE_RUNTIME_ENV, NODE_RUNTIME_FLAGS } from "../../packages/node/src/testnet/runtime-flags.js";
import { waitFor } from "./wait.js";

/** Every child any test started, so a crashed test run still takes them down (see the exit hook below). */
const LIVE = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of LIVE) child.kill("SIGKILL");
});

export const LOG_FILE = "node.log";

export interface NodeProcessOptions {
  /** A command the node is started through, e.g. `["ip", "netns", "exec", ns]`; it must exec the node. */
  launcher?: readonly string[];
  /** Extra environment variables for every start (and `start(env)` adds more for one life). */
  env?: Readonly<Record<string, string>>;
}

/**
 * One `hansa start --home …` process that a test can start, SIGKILL and start again. Each start appends its
 * JSON log lines to `<home>/node.log`, so the log covers every life of the node.
 */
export class NodeProcess {
  readonly client: HansaClient;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** How many times the process was started: a test can tell lives apart. */
  starts = 0;

  constructor(
    readonly node: TestnetNode,
    private readonly cliMain: string,
    private readonly options: NodeProcessOptions = {},
  ) {
    this.client = new HansaClient(node.rpcUrl, { timeoutMs: 10_000 });
  }

  get moniker(): string {
    return this.node.moniker;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get logPath(): string {
    return join(this.node.home, LOG_FILE);
  }

  /** The running process's id (with a launcher that execs, the node's own id), or undefined. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(env: Readonly<Record<string, string>> = {}): void {
    if (this.child) throw new Error(`${this.moniker} is already running`);
    const log = createWriteStream(this.logPath, { flags: "a" });
    const [command, ...prefix] = [...(this.options.launcher ?? []), process.execPath];
    const args = [...prefix, ...NODE_RUNTIME_FLAGS, this.cliMain, "start", "--home", this.node.home];
    const child = spawn(command as string, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...NODE_RUNTIME_ENV, ...this.options.env, ...env },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    LIVE.add(child);
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => {
      child.once("exit", () => {
        LIVE.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
  }

  /** Resolves once the node answers GET /health with 200. */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${this.moniker} to answer /health`,
      async () => {
        if (!this.child) throw new Error(`${this.moniker} is not running (see ${this.logPath})`);
        const res = await fetch(`${this.node.rpcUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        return res.ok;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /** Sends `signal` (e.g. SIGSTOP, SIGCONT) to the running process; false when it is not running. */
  signal(signal: NodeJS.Signals): boolean {
    return this.child?.kill(signal) ?? false;
  }

  /** SIGKILL (`kill -9`): no shutdown code runs, the store is left as the crash left it. */
  async kill(): Promise<void> {
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM, the node's orderly shutdown; SIGKILL if it does not exit within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.kill("SIGTERM");
    await this.exited;
    clearTimeout(timer);
  }

  async height(): Promise<number> {
    return (await this.client.chainStatus()).height;
  }

  /** The node's log, one parsed JSON object per line (non-JSON lines, e.g. a crash trace, as `{ raw }`). */
  async logLines(): Promise<Record<string, unknown>[]> {
    let text: string;
    try {
      text = await readFile(this.logPath, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { raw: line };
        }
      });
  }
}
