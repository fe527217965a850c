import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConsensusParams, loadKeyFile } from "@hansa/core";
import { createTestnet, type NodeConfigInput, type TestnetLayout } from "@hansa/node";
import { NodeProcess } from "./node-process.js";
import { freeBasePort } from "./ports.js";

const CLI_MAIN = fileURLToPath(new URL("../../packages/node/dist/cli/main.js", import.meta.url));

/**
 * Consensus parameters for e2e runs: empty blocks every 500 ms so heights move without load, and short
 * round timeouts so a round whose proposer is down is skipped quickly. The timeouts still grow by
 * `timeoutDeltaMs` per round, so a slow, shared CI machine converges instead of churning.
 */
export const E2E_CONSENSUS_PARAMS: Partial<ConsensusParams> = {
  timeoutProposeMs: 800,
  timeoutPrevoteMs: 300,
  timeoutPrecommitMs: 300,
  timeoutDeltaMs: 300,
  timeoutCapMs: 5_000,
  emptyBlockIntervalMs: 500,
};

export interface E2eTestnetOptions {
  validators?: number;
  label: string;
  consensusParams?: Partial<ConsensusParams>;
  /** Merged into each node's config.json (one level deep: `rpc`, `log`, …). */
  config?: Partial<Pick<NodeConfigInput, "rpc" | "mempool" | "log">>;
}

export interface E2eAccount {
  organization: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A testnet of real `hansa` processes in a temp dir; `destroy()` kills them all and removes the dir. */
export class E2eTestnet {
  private constructor(
    readonly dir: string,
    readonly layout: TestnetLayout,
    readonly nodes: NodeProcess[],
    readonly accounts: E2eAccount[],
  ) {}

  static async create(options: E2eTestnetOptions): Promise<E2eTestnet> {
    if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build first (pnpm exec tsc -b)`);
    const dir = await mkdtemp(join(tmpdir(), `hansa-e2e-${options.label}-`));
    try {
      const validators = options.validators ?? 4;
      const layout = await createTestnet({ home: dir, validators, basePort: await freeBasePort(validators) });
      await setConsensusParams(layout, { ...E2E_CONSENSUS_PARAMS, ...options.consensusParams });
      for (const node of layout.nodes) {
        if (options.config) {
          const overrides = options.config;
          await editJson(join(node.home, "config.json"), (c) => {
            const merged: Record<string, unknown> = { ...c };
            for (const [key, value] of Object.entries(overrides)) merged[key] = { ...(c[key] as object), ...value };
            return merged;
          });
        }
      }
      const accounts = await loadAccounts(layout);
      const nodes = layout.nodes.map((n) => new NodeProcess(n, CLI_MAIN));
      return new E2eTestnet(dir, layout, nodes, accounts);
    } catch (err) {
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

  get running(): NodeProcess[] {
    return this.nodes.filter((n) => n.running);
  }

  /** Starts every node that is not running and waits until each answers /health. */
  async start(): Promise<void> {
    for (const node of this.nodes) if (!node.running) node.start();
    await Promise.all(this.nodes.map((n) => n.waitHealthy()));
  }

  /**
   * Kills every node (SIGKILL: nothing to flush that a test still needs) and removes the temp dir, unless
   * HANSA_E2E_KEEP is set: then the homes and node.log files stay for inspection.
   */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    if (process.env.HANSA_E2E_KEEP) console.info(`e2e testnet kept in ${this.dir}`);
    else await rm(this.dir, { recursive: true, force: true });
  }
}

/** Sets consensus parameters in every node's genesis.json: the same edit everywhere, so all still agree. */
export async function setConsensusParams(layout: TestnetLayout, params: Partial<ConsensusParams>): Promise<void> {
  for (const node of layout.nodes) {
    await editJson(join(node.home, "genesis.json"), (g) => ({
      ...g,
      consensusParams: { ...(g.consensusParams as object), ...params },
    }));
  }
}

/** The testnet's writer accounts with their keys. */
export async function loadAccounts(layout: TestnetLayout): Promise<E2eAccount[]> {
  const accounts: E2eAccount[] = [];
  for (const account of layout.accounts) {
    const keys = await loadKeyFile(account.keyFile);
    accounts.push({ organization: account.organization, ...keys });
  }
  return accounts;
}

export async function editJson(
  path: string,
  edit: (json: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const json = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(path, `${JSON.stringify(edit(json), null, 2)}\n`);
}
