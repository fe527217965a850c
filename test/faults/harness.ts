import { appendFile } from "node:fs/promises";
import type { NodeProcess } from "../support/node-process.js";
import { createNamespace } from "../support/txs.js";
import { sleep } from "../support/wait.js";
import { AckedLoad } from "./acked-load.js";
import { type AuditFindings, ChainAudit } from "./audit.js";
import { FaultCluster } from "./cluster.js";
import { evidenceOnChain } from "./evidence.js";
import { MemoryMonitor } from "./memory.js";
import { FaultPrng } from "./prng.js";
import { rpcCall } from "./rpc-batch.js";

/** With at most f faulty and the faults taken back, every node must reach the target height within this. */
export const LIVENESS_BOUND_MS = 45_000;

/** One row of docs/reliability.md. */
export interface ScenarioResult {
  suite: "bounded" | "soak";
  scenario: string;
  faults: string;
  acknowledged: number;
  lost: number;
  duplicated: number;
  forks: number;
  /** From taking the faults back to every node past the target height; null when nothing was taken back. */
  recoverMs: number | null;
  mode: string;
  seed: number;
  /** What the faults were (drawn values, evidence counts): for the table. */
  notes: string[];
  /** Failed checks besides forks, lost and duplicated: must be empty. */
  problems: string[];
}

export interface ScenarioContext {
  readonly cluster: FaultCluster;
  readonly harness: FaultHarness;
  readonly rng: FaultPrng;
  /** Records a line of what happened (printed with the time since the run started). */
  log(message: string): void;
  /** Notes that go into the result row. */
  note(message: string): void;
}

export interface Scenario {
  name: string;
  /** What the scenario does, for the table. */
  faults: string;
  /** Runs the faults, takes them back and returns when it did (the start of recovery), or null. */
  run(ctx: ScenarioContext): Promise<number | null>;
}

export function seedFromEnv(): number {
  const raw = process.env.HANSA_FAULTS_SEED;
  if (raw === undefined || raw === "") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`HANSA_FAULTS_SEED must be a non-negative integer`);
  return seed;
}

/** The latest height a node answers, with a short timeout: a frozen or cut-off node must not stall a wait. */
export async function heightOf(node: NodeProcess): Promise<number | undefined> {
  if (!node.running) return undefined;
  try {
    return (await rpcCall<{ height: number }>(node.node.rpcUrl, "chain_status", {}, 1_500)).height;
  } catch {
    return undefined;
  }
}

/**
 * A running testnet under client load, with the checks of docs/reliability.md after every scenario. One
 * harness serves a whole suite: the chain, the load and the memory samples carry over from scenario to
 * scenario, so later scenarios also check that earlier faults left nothing behind.
 */
export class FaultHarness {
  readonly results: ScenarioResult[] = [];
  readonly startedAt = Date.now();
  private readonly audit: ChainAudit;
  /** Validators (0x public keys) that were run byzantine: only they may be named by evidence. */
  private readonly byzantine = new Set<string>();

  private constructor(
    readonly suite: ScenarioResult["suite"],
    readonly cluster: FaultCluster,
    readonly load: AckedLoad,
    readonly memory: MemoryMonitor,
    readonly rng: FaultPrng,
  ) {
    this.audit = new ChainAudit(cluster.nodes);
  }

  static async create(suite: ScenarioResult["suite"], load: { burst: number; pauseMs: number }): Promise<FaultHarness> {
    const seed = seedFromEnv();
    const cluster = await FaultCluster.create({ label: suite });
    try {
      await cluster.start();
      const chainId = cluster.layout.chainId;
      const senders = [];
      for (let i = 0; i < cluster.nodes.length; i++) {
        const account = cluster.account(i);
        const namespace = `faults-${i + 1}`;
        const firstNonce = await createNamespace(cluster.node(i).client, chainId, account, namespace);
        senders.push({ account, namespace, firstNonce, home: i });
      }
      const acked = new AckedLoad({ chainId, nodes: cluster.nodes, senders, window: 16, ...load });
      const memory = new MemoryMonitor(cluster.nodes);
      const harness = new FaultHarness(suite, cluster, acked, memory, new FaultPrng(seed));
      harness.log(
        `seed ${seed}; mode ${cluster.mode}; partitions by ${cluster.partitionLayer}; latency/jitter/loss by ` +
          `${cluster.linkFaultLayer}; clock skew by hooks; ${cluster.nodes.length} validators in ${cluster.dir}`,
      );
      if (cluster.mode === "loopback") {
        harness.log("network namespaces could not be made: loopback mode, every network fault through the node hooks");
      }
      acked.start();
      memory.start();
      return harness;
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
  }

  get modeLabel(): string {
    const c = this.cluster;
    return c.mode === "netns" ? `netns (links: ${c.linkFaultLayer})` : "loopback (hooks)";
  }

  log(message: string): void {
    const t = ((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(7);
    console.info(`[faults ${t}s] ${message}`);
  }

  async heights(): Promise<(number | undefined)[]> {
    return Promise.all(this.cluster.nodes.map((n) => heightOf(n)));
  }

  /** Every node's height, asking again until each one answers (a busy node may miss a short timeout). */
  async waitAnswers(timeoutMs = 15_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hs = await this.heights();
      if (hs.every((h) => h !== undefined)) return hs as number[];
      if (Date.now() > deadline) throw new Error(`not every node answered chain_status: ${JSON.stringify(hs)}`);
      await sleep(200);
    }
  }

  /** The highest height any of `indices` (default: every node) answers now. */
  async topHeight(indices?: readonly number[]): Promise<number> {
    const hs = await this.heights();
    const picked = indices ? indices.map((i) => hs[i]) : hs;
    return Math.max(0, ...picked.filter((h): h is number => h !== undefined));
  }

  /** Waits until every node in `indices` answers a height of at least `target`; false at the deadline. */
  async waitHeights(indices: readonly number[], target: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hs = await this.heights();
      if (indices.every((i) => (hs[i] ?? -1) >= target)) return true;
      await sleep(200);
    }
    return false;
  }

  /**
   * Liveness after the faults are taken back: every node passes the highest height any node had when
   * recovery began, plus two, within LIVENESS_BOUND_MS. Returns the time it took from `from`.
   */
  async recover(from: number): Promise<number> {
    const all = this.cluster.nodes.map((_, i) => i);
    const target = (await this.topHeight()) + 2;
    if (!(await this.waitHeights(all, target, LIVENESS_BOUND_MS))) {
      throw new Error(`liveness: not every node reached height ${target} within ${LIVENESS_BOUND_MS} ms`);
    }
    return Date.now() - from;
  }

  /** Declares that `publicKey` runs byzantine from now on: evidence against it is expected, not a failure. */
  markByzantine(publicKey: string): void {
    this.byzantine.add(publicKey);
  }

  async runScenario(scenario: Scenario, options: { record?: boolean } = {}): Promise<ScenarioResult> {
    const notes: string[] = [];
    const acksBefore = this.load.acks.length;
    const rng = this.rng.fork(scenario.name);
    this.log(`scenario "${scenario.name}": ${scenario.faults}`);
    const ctx: ScenarioContext = {
      cluster: this.cluster,
      harness: this,
      rng,
      log: (m) => this.log(`  ${m}`),
      note: (m) => notes.push(m),
    };
    let recoveryFrom: number | null;
    try {
      recoveryFrom = await scenario.run(ctx);
    } finally {
      await this.cluster.clearFaults();
    }
    const recoverMs = recoveryFrom === null ? null : await this.recover(recoveryFrom);
    if (recoverMs !== null) this.log(`  every node advanced ${recoverMs} ms after the faults were taken back`);
    const { problems, ...findings } = await this.check();
    const result: ScenarioResult = {
      suite: this.suite,
      scenario: scenario.name,
      faults: scenario.faults,
      acknowledged: this.load.acks.length - acksBefore,
      lost: findings.lost.length,
      duplicated: findings.duplicated.length,
      forks: findings.forks.length,
      recoverMs,
      mode: this.modeLabel,
      seed: this.rng.seed,
      notes,
      problems,
    };
    if (options.record ?? true) await this.record(result);
    return result;
  }

  /**
   * The audit (forks, lost and duplicated transactions) once every node holds the highest acknowledged
   * height, plus, as `problems`: equivocation logged or evidence on chain against a validator that was
   * never run byzantine, and refusals of the load that no fault explains. The caller asserts on all.
   */
  async check(options: { fresh?: boolean } = {}): Promise<AuditFindings & { problems: string[] }> {
    const problems: string[] = [];
    const acks = this.load.acks.slice();
    const highestAck = Math.max(0, ...acks.map((a) => a.height));
    const all = this.cluster.nodes.map((_, i) => i);
    if (!(await this.waitHeights(all, highestAck, LIVENESS_BOUND_MS))) {
      problems.push(`not every node reached the highest acknowledged height ${highestAck}`);
    }
    const started = Date.now();
    const findings = await this.audit.run(acks, options);
    this.log(
      `  audit of ${acks.length} acknowledged transactions and heights ${findings.lowestTip}..${findings.highestTip}` +
        ` on every node: ${findings.forks.length} forks, ${findings.lost.length} lost, ` +
        `${findings.duplicated.length} duplicated (${Date.now() - started} ms)`,
    );
    for (const line of [...findings.forks, ...findings.lost, ...findings.duplicated].slice(0, 20)) {
      this.log(`    ${line}`);
    }
    // An honest validator never equivocates, also across kill -9 and restarts: nobody may detect it doing so.
    for (const node of this.cluster.nodes) {
      for (const line of await node.logLines()) {
        if (line.msg === "equivocation detected" && !this.byzantine.has(String(line.validator))) {
          problems.push(`equivocation logged against honest ${line.validator} by ${node.moniker}`);
          break;
        }
      }
    }
    const wrongful = (await evidenceOnChain(this.cluster.node(0))).filter((e) => !this.byzantine.has(e.validator));
    if (wrongful.length > 0) problems.push(`evidence on chain against honest ${wrongful[0]?.validator}`);
    if (this.load.refusals.size > 0) {
      problems.push(`unexpected refusals of the load: ${JSON.stringify(Object.fromEntries(this.load.refusals))}`);
    }
    return { ...findings, problems };
  }

  async record(result: ScenarioResult): Promise<void> {
    this.results.push(result);
    const file = process.env.HANSA_FAULTS_RESULTS;
    if (file) await appendFile(file, `${JSON.stringify(result)}\n`);
  }

  async destroy(): Promise<void> {
    await this.load.stop();
    this.memory.stop();
    await this.cluster.destroy();
  }
}
