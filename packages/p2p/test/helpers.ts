import { generateSecretKey, getPublicKey } from "@hansa/core";
import {
  type BlockSource,
  type BlockWithCommit,
  createNetwork,
  type HansaNetwork,
  type Logger,
  type NetworkLimits,
  type NetworkOptions,
} from "@hansa/p2p";

export const CHAIN_ID = "p2p-test";
export const LOOPBACK = "/ip4/127.0.0.1/tcp/0";

export interface TestKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function makeKeys(n: number): TestKey[] {
  return Array.from({ length: n }, () => {
    const secretKey = generateSecretKey();
    return { secretKey, publicKey: getPublicKey(secretKey) };
  });
}

/** A block store in memory: item h - 1 is the block of height h. */
export class MemoryBlockSource implements BlockSource {
  constructor(readonly items: BlockWithCommit[] = []) {}

  latestHeight(): number {
    return this.items.length;
  }

  async getBlocks(from: number, to: number): Promise<BlockWithCommit[]> {
    return this.items.slice(from - 1, to);
  }
}

/** Records what the network logs, so a test can look for a refusal. */
export class RecordingLogger implements Logger {
  readonly entries: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  debug = (msg: string, fields?: Record<string, unknown>) => this.entries.push({ level: "debug", msg, fields });
  info = (msg: string, fields?: Record<string, unknown>) => this.entries.push({ level: "info", msg, fields });
  warn = (msg: string, fields?: Record<string, unknown>) => this.entries.push({ level: "warn", msg, fields });
  error = (msg: string, fields?: Record<string, unknown>) => this.entries.push({ level: "error", msg, fields });

  has(msg: string, match: Record<string, unknown> = {}): boolean {
    return this.entries.some((e) => e.msg === msg && Object.entries(match).every(([k, v]) => e.fields?.[k] === v));
  }
}

/** Short timers so tests reconnect and announce quickly; the logic is the same as with the defaults. */
export const TEST_LIMITS: Partial<NetworkLimits> = {
  statusIntervalMs: 100,
  reconnectInitialDelayMs: 100,
  reconnectMaxDelayMs: 500,
  txBatchDelayMs: 5,
};

export interface TestNode {
  key: TestKey;
  net: HansaNetwork;
  source: MemoryBlockSource;
  logger: RecordingLogger;
}

/** Starts networks and stops them all in `stopAll` (call it from afterEach). */
export class Cluster {
  readonly nodes: TestNode[] = [];

  async start(
    key: TestKey,
    options: Partial<Omit<NetworkOptions, "secretKey">> & { allowList: Uint8Array[] },
    source = new MemoryBlockSource(),
  ): Promise<TestNode> {
    const logger = new RecordingLogger();
    const net = createNetwork(
      {
        chainId: CHAIN_ID,
        secretKey: key.secretKey,
        listen: [LOOPBACK],
        peers: [],
        ...options,
        limits: { ...TEST_LIMITS, ...options.limits },
      },
      { logger, blockSource: source },
    );
    const node = { key, net, source, logger };
    this.nodes.push(node);
    await net.start();
    return node;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.net.stop()));
    this.nodes.length = 0;
  }
}

/** A configured-peer entry pointing at a running node. */
export function peerOf(node: TestNode) {
  return { publicKey: node.key.publicKey, addrs: node.net.listenAddrs().map((a) => a.replace(/\/p2p\/.*$/, "")) };
}

/** The TCP port a node listens on. */
export function portOf(node: TestNode): number {
  const match = /\/tcp\/(\d+)/.exec(node.net.listenAddrs()[0] ?? "");
  if (!match) throw new Error("node has no TCP address");
  return Number(match[1]);
}

/**
 * Polls `check` until it holds. The deadline only stops a broken test from hanging; nothing is asserted on
 * how long it took.
 */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `n` nodes that allow each other, each dialling all earlier ones: a full mesh. */
export async function startMesh(cluster: Cluster, keys: TestKey[], extra: Partial<NetworkOptions> = {}) {
  const allowList = keys.map((k) => k.publicKey);
  const nodes: TestNode[] = [];
  for (const key of keys) {
    nodes.push(await cluster.start(key, { allowList, peers: nodes.map(peerOf), ...extra }));
  }
  await waitFor(() => nodes.every((n) => n.net.peerCount() === keys.length - 1), "full mesh");
  return nodes;
}
