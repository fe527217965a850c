import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConsensusParams } from "@hansa/core";
import { createTestnet, type TestnetLayout, type TestnetNode } from "@hansa/node";
import { NodeProcess } from "../support/node-process.js";
import { freeBasePort } from "../support/ports.js";
import {
  E2E_CONSENSUS_PARAMS,
  type E2eAccount,
  editJson,
  loadAccounts,
  setConsensusParams,
} from "../support/testnet.js";
import { type LinkFaults, NamespaceNetwork, netemAvailable, netnsAvailable, removeNetnsLeftovers } from "./netns.js";
import { RpcCallError, rpcCall } from "./rpc-batch.js";

const CLI_MAIN = fileURLToPath(new URL("../../packages/node/dist/cli/main.js", import.meta.url));
/** Inside its own namespace every node can use the standard ports. */
const NETNS_RPC_PORT = 26657;
const NETNS_P2P_PORT = 26656;

/** `netns`: one network namespace per validator; `loopback`: all on 127.0.0.1, faults through node hooks. */
export type FaultMode = "netns" | "loopback";

/** What the node's `test_setFaults` hook holds for one node; each call replaces the whole set. */
interface HookFaults {
  blockPeers?: string[];
  delayMs?: number;
  jitterMs?: number;
  lossRate?: number;
  clockSkewMs?: number;
}

export interface FaultClusterOptions {
  label: string;
  validators?: number;
  consensusParams?: Partial<ConsensusParams>;
}

/**
 * A testnet of real `hansa` processes with the fault injectors: processes (kill -9, SIGSTOP/SIGCONT,
 * restart with another environment), the network (partitions, latency/jitter/loss) and the clock. Which
 * layer does a network fault depends on the mode: in `netns` mode blackhole routes and (when the kernel
 * has it) netem; otherwise the node's own test hooks. Clock skew is always a hook: Linux has no
 * per-namespace wall clock.
 */
export class FaultCluster {
  /** Per node, what its hook should hold; re-sent after a restart, since hooks live in memory. */
  private readonly hooks: HookFaults[];
  private partitioned: readonly (readonly number[])[] | undefined;
  private linkFaults: LinkFaults | undefined;
  private readonly frozen = new Set<number>();
  /** Set when a check failed: `destroy()` then keeps the homes and logs for inspection. */
  keep = false;

  private constructor(
    readonly dir: string,
    readonly mode: FaultMode,
    readonly layout: TestnetLayout,
    readonly nodes: NodeProcess[],
    readonly accounts: E2eAccount[],
    private readonly network: NamespaceNetwork | undefined,
  ) {
    this.hooks = nodes.map(() => ({}));
  }

  /** Where latency, jitter and loss are applied: on the links (netem) or by the receiving node (hooks). */
  get linkFaultLayer(): "netem" | "hooks" {
    return this.network?.netem ? "netem" : "hooks";
  }

  get partitionLayer(): "blackhole routes" | "hooks" {
    return this.network ? "blackhole routes" : "hooks";
  }

  static async create(options: FaultClusterOptions): Promise<FaultCluster> {
    if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build first (pnpm exec tsc -b)`);
    const validators = options.validators ?? 4;
    await removeNetnsLeftovers().catch(() => []);
    const mode: FaultMode = (await netnsAvailable()) ? "netns" : "loopback";
    const dir = await mkdtemp(join(tmpdir(), `hansa-faults-${options.label}-`));
    let network: NamespaceNetwork | undefined;
    try {
      const layout = await createTestnet({ home: dir, validators, basePort: await freeBasePort(validators) });
      await setConsensusParams(layout, { ...E2E_CONSENSUS_PARAMS, ...options.consensusParams });
      if (mode === "netns") network = await NamespaceNetwork.create(validators, await netemAvailable());
      if (network) {
        for (const [i, node] of layout.nodes.entries()) await moveIntoNamespace(node, i, layout.nodes, network);
      }
      const accounts = await loadAccounts(layout);
      const env = { HANSA_TEST_HOOKS: "1" };
      const nodes = layout.nodes.map(
        (n, i) => new NodeProcess(n, CLI_MAIN, network ? { launcher: network.launcher(i), env } : { env }),
      );
      return new FaultCluster(dir, mode, layout, nodes, accounts, network);
    } catch (err) {
      await network?.destroy();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  node(index: number): NodeProcess {
    const node = this.nodes[index];
    if (!node) throw new Error(`no node ${index}`);
    return node;
  }

  account(index: number): E2eAccount {
    const account = this.accounts[index];
    if (!account) throw new Error(`no account ${index}`);
    return account;
  }

  indexOf(node: NodeProcess): number {
    return this.nodes.indexOf(node);
  }

  isFrozen(index: number): boolean {
    return this.frozen.has(index);
  }

  async start(): Promise<void> {
    for (const node of this.nodes) if (!node.running) node.start();
    await Promise.all(this.nodes.map((n) => n.waitHealthy()));
  }

  /** Whether the nodes were started with working test hooks (`test_setFaults` exists). */
  async hooksAvailable(): Promise<boolean> {
    try {
      await rpcCall(this.node(0).node.rpcUrl, "test_setFaults", {});
      return true;
    } catch (err) {
      if (err instanceof RpcCallError) return false;
      throw err;
    }
  }

  async kill(index: number): Promise<void> {
    this.frozen.delete(index);
    await this.node(index).kill();
  }

  /** Starts a stopped node (with extra environment for this life only), waits for /health, re-sends its hooks. */
  async restart(index: number, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const node = this.node(index);
    node.start(env);
    await node.waitHealthy();
    if (Object.keys(this.hooks[index] ?? {}).length > 0) await this.sendHooks(index);
  }

  /** SIGSTOP: the process stays, holds its sockets, and answers nothing. */
  freeze(index: number): void {
    if (!this.node(index).signal("SIGSTOP")) throw new Error(`${this.node(index).moniker} is not running`);
    this.frozen.add(index);
  }

  thaw(index: number): void {
    this.node(index).signal("SIGCONT");
    this.frozen.delete(index);
  }

  /** Splits the validators into `groups`; no traffic between groups until `heal()`. */
  async partition(groups: readonly (readonly number[])[]): Promise<void> {
    this.partitioned = groups;
    if (this.network) {
      await this.network.partition(groups);
      return;
    }
    const keys = this.layout.nodes.map((n) => n.publicKey);
    for (let i = 0; i < this.nodes.length; i++) {
      const mine = groups.find((g) => g.includes(i)) ?? [i];
      this.setHook(i, { blockPeers: keys.filter((_, j) => !mine.includes(j)) });
    }
    await this.sendAllHooks();
  }

  async heal(): Promise<void> {
    if (!this.partitioned) return;
    this.partitioned = undefined;
    if (this.network) {
      await this.network.heal();
      return;
    }
    for (let i = 0; i < this.nodes.length; i++) this.setHook(i, { blockPeers: undefined });
    await this.sendAllHooks();
  }

  /** Latency, jitter and loss on the p2p traffic of every node. */
  async degrade(faults: LinkFaults): Promise<void> {
    this.linkFaults = faults;
    if (this.network?.netem) {
      await this.network.degrade(faults);
      return;
    }
    for (let i = 0; i < this.nodes.length; i++) this.setHook(i, { ...faults });
    await this.sendAllHooks();
  }

  async restore(): Promise<void> {
    if (!this.linkFaults) return;
    this.linkFaults = undefined;
    if (this.network?.netem) {
      await this.network.restore();
      return;
    }
    for (let i = 0; i < this.nodes.length; i++) {
      this.setHook(i, { delayMs: undefined, jitterMs: undefined, lossRate: undefined });
    }
    await this.sendAllHooks();
  }

  /** Shifts node `index`'s clock by `ms` (0 puts it back). */
  async skew(index: number, ms: number): Promise<void> {
    this.setHook(index, { clockSkewMs: ms === 0 ? undefined : ms });
    await this.sendHooks(index);
  }

  /**
   * Takes back every network and clock fault, thaws frozen nodes and starts any node left down (a scenario
   * that failed half-way must not leave the next one with a dead validator).
   */
  async clearFaults(): Promise<void> {
    for (const i of [...this.frozen]) this.thaw(i);
    for (const [i, node] of this.nodes.entries()) if (!node.running) await this.restart(i);
    await this.heal();
    await this.restore();
    for (let i = 0; i < this.nodes.length; i++) if (this.hooks[i]?.clockSkewMs !== undefined) await this.skew(i, 0);
  }

  /** Kills every node, removes the namespaces and links, and the temp dir (unless HANSA_E2E_KEEP is set). */
  async destroy(): Promise<void> {
    for (const i of [...this.frozen]) this.thaw(i);
    await Promise.all(this.nodes.map((n) => n.kill()));
    await this.network?.destroy();
    if (this.keep || process.env.HANSA_E2E_KEEP) console.info(`fault testnet kept in ${this.dir} (node.log per node)`);
    else await rm(this.dir, { recursive: true, force: true });
  }

  private setHook(index: number, change: HookFaults): void {
    const next: HookFaults = { ...this.hooks[index], ...change };
    for (const key of Object.keys(next) as (keyof HookFaults)[]) if (next[key] === undefined) delete next[key];
    this.hooks[index] = next;
  }

  private async sendAllHooks(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.sendHooks(i)));
  }

  /** A node that is down gets its hooks when it restarts; a frozen one when it is thawed and next changed. */
  private async sendHooks(index: number): Promise<void> {
    const node = this.node(index);
    if (!node.running || this.frozen.has(index)) return;
    await rpcCall(node.node.rpcUrl, "test_setFaults", this.hooks[index] ?? {});
  }
}

async function moveIntoNamespace(
  node: TestnetNode,
  index: number,
  all: readonly TestnetNode[],
  network: NamespaceNetwork,
): Promise<void> {
  const address = network.addresses[index] as string;
  await editJson(join(node.home, "config.json"), (c) => {
    const p2p = c.p2p as { peers: { publicKey: string; addrs: string[] }[] };
    return {
      ...c,
      rpc: { ...(c.rpc as object), host: address, port: NETNS_RPC_PORT },
      p2p: {
        ...p2p,
        listen: [`/ip4/${address}/tcp/${NETNS_P2P_PORT}`],
        peers: p2p.peers.map((peer) => {
          const j = all.findIndex((n) => n.publicKey === peer.publicKey);
          return { ...peer, addrs: [`/ip4/${network.addresses[j]}/tcp/${NETNS_P2P_PORT}`] };
        }),
      },
    };
  });
  // The harness reaches the node over the bridge.
  node.rpcUrl = `http://${address}:${NETNS_RPC_PORT}`;
  node.p2pAddr = `/ip4/${address}/tcp/${NETNS_P2P_PORT}`;
}
