import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import type { TestnetLayout, TestnetNode } from "./layout.js";
import { NODE_RUNTIME_ENV, NODE_RUNTIME_FLAGS } from "./runtime-flags.js";

/**
 * Runs every node of a testnet as its own `hansa start` process, each writing its JSON log lines to
 * `<node home>/node.log`. Stops them all on `stop()` (SIGTERM, then SIGKILL after a grace period).
 */
export interface SupervisorOptions {
  layout: TestnetLayout;
  /** The CLI entry point to run (dist/cli/main.js). */
  cliMain: string;
  onExit?: (node: TestnetNode, code: number | null, signal: NodeJS.Signals | null) => void;
}

export class TestnetSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  start(): void {
    for (const node of this.options.layout.nodes) this.startNode(node);
  }

  startNode(node: TestnetNode): void {
    const log = createWriteStream(join(node.home, "node.log"), { flags: "a" });
    const child = spawn(process.execPath, [...NODE_RUNTIME_FLAGS, this.options.cliMain, "start", "--home", node.home], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...NODE_RUNTIME_ENV },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.children.set(node.moniker, child);
    child.on("exit", (code, signal) => {
      this.children.delete(node.moniker);
      if (!this.stopping) this.options.onExit?.(node, code, signal);
    });
  }

  /** Resolves once every node answers GET /health, or rejects after `timeoutMs`. */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const node of this.options.layout.nodes) {
      for (;;) {
        try {
          const res = await fetch(`${node.rpcUrl}/health`);
          if (res.ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${node.moniker} did not become healthy within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    );
    await Promise.all(exits);
  }
}
