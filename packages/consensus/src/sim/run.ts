import { bytesToHex, sha256, utf8ToBytes, ValidatorSet } from "@hansa/core";
import type { VerifySignature } from "../types.js";
import { describeConfig, type SimConfig } from "./config.js";
import { cheapCrypto, ed25519Crypto } from "./crypto.js";
import { Invariants } from "./invariants.js";
import { type Message, SimNode, type World } from "./node.js";
import { Prng } from "./prng.js";
import { Scheduler } from "./scheduler.js";

export interface SimResult {
  ok: boolean;
  config: SimConfig;
  /** One line naming the schedule, to print with a failure. */
  description: string;
  violations: string[];
  /** Virtual time when the run ended. */
  endedAt: number;
  heights: number[];
  stats: World["stats"] & { delivered: number };
}

class SimWorld implements World {
  readonly chainId = "sim";
  readonly scheduler = new Scheduler();
  readonly rng: Prng;
  readonly invariants = new Invariants();
  readonly nodes: SimNode[] = [];
  readonly verify: VerifySignature;
  readonly stats = { commits: 0, syncs: 0, evidence: 0, maxRound: 0, delivered: 0 };
  private readonly blocks = new Map<string, { height: number; valid: boolean }>();
  private readonly sets = new Map<number, ValidatorSet>();
  private readonly honestIndexes: number[];
  private blockCounter = 0;
  private readonly publicKeys: Uint8Array[];

  constructor(readonly config: SimConfig) {
    this.rng = new Prng(config.seed);
    const crypto = config.realCrypto ? ed25519Crypto : cheapCrypto;
    this.verify = crypto.verify;
    const byzantine = new Map(config.byzantine.map((b) => [b.index, b.behaviors]));
    this.honestIndexes = config.powers.map((_, i) => i).filter((i) => !byzantine.has(i));
    this.publicKeys = [];
    for (let index = 0; index < config.n; index++) {
      const key = crypto.keyFor(config.seed, index);
      this.publicKeys.push(key.publicKey);
      const behaviors = byzantine.get(index) ?? null;
      this.nodes.push(new SimNode(this, this.nodes.length, index, key, behaviors));
      if (behaviors?.includes("twins")) this.nodes.push(new SimNode(this, this.nodes.length, index, key, behaviors));
    }
    // Twins: each copy talks to its own random half of the network (and to its sibling).
    for (const index of byzantine.keys()) {
      const pair = this.nodes.filter((n) => n.index === index);
      if (pair.length !== 2) continue;
      const others = this.rng.shuffle(this.nodes.filter((n) => n.index !== index));
      const half = Math.ceil(others.length / 2);
      (pair[0] as SimNode).sendTo = [...others.slice(0, half), pair[1] as SimNode];
      (pair[1] as SimNode).sendTo = [...others.slice(half), pair[0] as SimNode];
    }
  }

  /**
   * The validator set of a height. With set changes on, honest validators' powers rotate every three
   * heights: the total and the byzantine share stay fixed, so the fault bound holds at every height.
   */
  validatorsFor(height: number): ValidatorSet {
    const honest = this.honestIndexes;
    const shift = this.config.changeValidatorSet && honest.length > 1 ? Math.floor(height / 3) % honest.length : 0;
    let set = this.sets.get(shift);
    if (!set) {
      const powers = [...this.config.powers];
      honest.forEach((index, k) => {
        powers[index] = this.config.powers[honest[(k + shift) % honest.length] as number] as number;
      });
      set = new ValidatorSet(
        powers.map((power, i) => ({ name: `v${i}`, publicKey: this.publicKeys[i] as Uint8Array, power })),
      );
      this.sets.set(shift, set);
    }
    return set;
  }

  newBlock(height: number, valid: boolean, creator: number): Uint8Array {
    const hash = sha256(utf8ToBytes(`block/${this.config.seed}/${height}/${creator}/${this.blockCounter++}`));
    this.blocks.set(bytesToHex(hash), { height, valid });
    return hash;
  }

  block(blockHash: Uint8Array): { height: number; valid: boolean } | undefined {
    return this.blocks.get(bytesToHex(blockHash));
  }

  private healed(): boolean {
    return this.scheduler.now >= this.config.healAt;
  }

  private linked(a: SimNode, b: SimNode): boolean {
    if (this.healed()) return true;
    const now = this.scheduler.now;
    for (const p of this.config.partitions) {
      if (now < p.from || now >= p.to) continue;
      const ga = p.groups.findIndex((g) => g.includes(a.index));
      const gb = p.groups.findIndex((g) => g.includes(b.index));
      if (ga !== gb) return false;
    }
    return true;
  }

  private delay(): number {
    return this.rng.int(1, this.healed() ? this.config.healedMaxDelayMs : this.config.maxDelayMs);
  }

  send(from: SimNode, to: readonly SimNode[], message: Message): void {
    const healed = this.healed();
    for (const node of to) {
      if (!this.linked(from, node)) continue;
      if (!healed && this.rng.chance(this.config.lossRate)) continue;
      const copies = this.rng.chance(this.config.duplicateRate) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        this.scheduler.after(this.delay(), () => {
          this.stats.delivered++;
          node.deliver(
            "vote" in message ? { type: "vote", vote: message.vote } : { type: "proposal", proposal: message.proposal },
          );
        });
      }
    }
  }

  request(from: SimNode, to: SimNode, run: () => void): void {
    if (!this.linked(from, to)) return;
    if (!this.healed() && this.rng.chance(this.config.lossRate)) return;
    this.scheduler.after(this.delay(), run);
  }
}

/** Runs one whole network under one randomized schedule and checks every invariant. */
export function runSimulation(config: SimConfig): SimResult {
  const world = new SimWorld(config);
  const { scheduler, invariants, nodes } = world;
  const honest = nodes.filter((n) => n.honest);
  for (const node of nodes) scheduler.at(world.rng.int(0, 20), () => node.boot());
  for (const crash of config.crashes) {
    const node = nodes.find((n) => n.index === crash.index) as SimNode;
    scheduler.at(crash.at, () => {
      if (crash.tornBatch) node.crashArmed = true;
      else node.crash();
    });
    scheduler.at(crash.restartAt, () => {
      if (node.up) node.crash();
      node.boot();
    });
  }
  let target = Number.POSITIVE_INFINITY;
  scheduler.at(config.healAt, () => {
    target = Math.max(...honest.map((n) => n.height)) + config.targetHeights;
  });
  const deadline = config.healAt + config.livenessBoundMs;
  const done = () => invariants.violations.length > 0 || honest.every((n) => n.height >= target);
  scheduler.run(deadline, done);
  if (invariants.violations.length === 0 && !honest.every((n) => n.height >= target)) {
    const heights = honest.map((n) => `${n.name}=${n.height}`).join(" ");
    invariants.fail(
      `liveness: by ${deadline}ms (heal at ${config.healAt}ms) every honest node should reach height ${target}; ${heights}`,
    );
  }
  return {
    ok: invariants.violations.length === 0,
    config,
    description: describeConfig(config),
    violations: invariants.violations,
    endedAt: scheduler.now,
    heights: nodes.map((n) => n.height),
    stats: world.stats,
  };
}
