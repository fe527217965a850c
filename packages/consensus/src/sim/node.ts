import {
  type CommitCertificate,
  equalBytes,
  type Proposal,
  proposalSigningBytes,
  type ValidatorSet,
  type Vote,
  verifyCommit,
  voteSigningBytes,
} from "@hansa/core";
import { ConsensusEngine } from "../driver/engine.js";
import { verifyEvidence } from "../evidence.js";
import type { EngineAction, EngineEvent, VerifySignature } from "../types.js";
import type { WalRecord } from "../wal/record.js";
import { Behavior, type SimConfig } from "./config.js";
import type { SimKey } from "./crypto.js";
import type { Invariants } from "./invariants.js";
import type { Prng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";

export type Message = { vote: Vote } | { proposal: Proposal };

/** What a simulated host needs from the simulated world around it. */
export interface World {
  readonly config: SimConfig;
  readonly chainId: string;
  readonly scheduler: Scheduler;
  readonly rng: Prng;
  readonly invariants: Invariants;
  readonly verify: VerifySignature;
  readonly nodes: readonly SimNode[];
  validatorsFor(height: number): ValidatorSet;
  newBlock(height: number, valid: boolean, creator: number): Uint8Array;
  block(blockHash: Uint8Array): { height: number; valid: boolean } | undefined;
  send(from: SimNode, to: readonly SimNode[], message: Message): void;
  /** A point-to-point exchange (block sync), subject to partitions and loss. */
  request(from: SimNode, to: SimNode, run: () => void): void;
  stats: { commits: number; syncs: number; evidence: number; maxRound: number };
}

interface ChainEntry {
  blockHash: Uint8Array;
  certificate: CommitCertificate;
}

/**
 * A simulated validator host: it runs one engine, executes its actions in order (persist first, then the
 * rest), keeps a chain and a WAL that survive crashes, and answers build, validate and sync requests.
 * Byzantine hosts run the same engine and tamper with what leaves it.
 */
export class SimNode {
  engine: ConsensusEngine | null = null;
  incarnation = 0;
  readonly wal: WalRecord[] = [];
  readonly chain: ChainEntry[] = [];
  /** For twins: the nodes this instance talks to; null means everyone. */
  sendTo: SimNode[] | null = null;
  crashArmed = false;
  private syncInFlight = false;
  private readonly invalidBlocks = new Map<number, Uint8Array>();

  constructor(
    readonly world: World,
    readonly id: number,
    readonly index: number,
    readonly key: SimKey,
    readonly behaviors: readonly Behavior[] | null,
  ) {}

  get name(): string {
    return `node${this.id}(v${this.index})`;
  }

  get honest(): boolean {
    return this.behaviors === null;
  }

  get up(): boolean {
    return this.engine !== null;
  }

  get height(): number {
    return this.chain.length;
  }

  private has(b: Behavior): boolean {
    return this.behaviors?.includes(b) ?? false;
  }

  boot(): void {
    const { config, chainId } = this.world;
    this.incarnation++;
    this.engine = new ConsensusEngine(
      {
        chainId,
        params: config.params,
        signer: this.key.signer,
        verifySignature: this.world.verify,
        faultInjection: config.faultInjection,
      },
      this.wal,
    );
    this.startNext();
  }

  crash(): void {
    this.engine = null;
    this.crashArmed = false;
    this.syncInFlight = false;
    this.incarnation++;
  }

  deliver(event: EngineEvent): void {
    const engine = this.engine;
    if (!engine) return;
    const actions = engine.apply(event);
    // A crash armed "mid-batch" cuts the batch at a random point: persisted-before-sent must suffice.
    const cut = this.crashArmed ? this.world.rng.int(0, actions.length) : actions.length;
    for (let i = 0; i < cut; i++) this.execute(actions[i] as EngineAction);
    if (this.crashArmed) this.crash();
  }

  private startNext(): void {
    const height = this.chain.length + 1;
    const last = this.chain[height - 2];
    const previous = last && { certificate: last.certificate, validators: this.world.validatorsFor(height - 1) };
    this.deliver({ type: "start_height", height, validators: this.world.validatorsFor(height), previous });
  }

  private later(delay: number, event: EngineEvent): void {
    const incarnation = this.incarnation;
    this.world.scheduler.after(delay, () => {
      if (this.incarnation === incarnation) this.deliver(event);
    });
  }

  private execute(action: EngineAction): void {
    const { world } = this;
    switch (action.type) {
      case "persist":
        this.wal.push(action.record);
        return;
      case "broadcast_vote":
        this.outgoing({ vote: action.vote });
        return;
      case "broadcast_proposal":
        this.outgoing({ proposal: action.proposal });
        return;
      case "schedule_timeout":
        this.later(action.durationMs, {
          type: "timeout",
          height: action.height,
          round: action.round,
          step: action.step,
        });
        if (action.round > world.stats.maxRound) world.stats.maxRound = action.round;
        return;
      case "build_block": {
        const invalid = this.has(Behavior.INVALID);
        const blockHash = world.newBlock(action.height, !invalid, this.id);
        if (invalid) this.invalidBlocks.set(action.height, blockHash);
        this.later(world.rng.int(0, 3), {
          type: "proposal_value",
          height: action.height,
          round: action.round,
          blockHash,
        });
        return;
      }
      case "validate_block": {
        const block = world.block(action.blockHash);
        const valid = this.has(Behavior.INVALID) || (block?.valid === true && block.height === action.height);
        this.later(world.rng.int(0, 5), { ...action, type: "block_validated", valid });
        return;
      }
      case "commit":
        this.commit(action.height, action.blockHash, action.certificate);
        {
          // Like a node, wait timeoutCommit before the next height; a sync meanwhile may have moved us on.
          const incarnation = this.incarnation;
          world.scheduler.after(world.config.params.timeoutCommitMs, () => {
            if (this.incarnation === incarnation) this.startNext();
          });
        }
        return;
      case "evidence": {
        world.stats.evidence++;
        const { evidence } = action;
        const first = evidence.first;
        const height = first.height;
        const offender = "validator" in first ? first.validator : first.proposer;
        const set = world.validatorsFor(height);
        if (!verifyEvidence(world.chainId, set, evidence, world.verify)) {
          if (this.honest) world.invariants.fail(`evidence: ${this.name} reported evidence that does not verify`);
        }
        const accused = world.nodes.find((n) => n.index === set.indexOf(offender));
        if (this.honest && accused?.honest)
          world.invariants.fail(`evidence: ${this.name} accused honest ${accused.name}`);
        return;
      }
      case "request_sync":
        this.requestSync();
        return;
    }
  }

  private commit(height: number, blockHash: Uint8Array, certificate: CommitCertificate): boolean {
    if (height !== this.chain.length + 1) return false;
    const { world } = this;
    try {
      verifyCommit(world.chainId, world.validatorsFor(height), certificate, { height, blockHash }, world.verify);
    } catch (err) {
      if (this.honest)
        world.invariants.fail(`commit: ${this.name} height ${height} certificate rejected: ${String(err)}`);
      return false;
    }
    this.chain.push({ blockHash, certificate });
    if (this.honest) {
      world.stats.commits++;
      world.invariants.onCommit(this.name, height, blockHash, world.block(blockHash));
    }
    return true;
  }

  private requestSync(): void {
    const { world } = this;
    if (this.syncInFlight) return;
    const peers = world.nodes.filter((n) => n !== this && n.up && n.height > this.height);
    if (peers.length === 0) return;
    const peer = world.rng.pick(peers);
    this.syncInFlight = true;
    const incarnation = this.incarnation;
    world.scheduler.after(2 * world.config.params.timeoutCapMs, () => {
      if (this.incarnation === incarnation) this.syncInFlight = false;
    });
    world.request(this, peer, () => {
      if (!peer.up) return;
      const from = this.height;
      const blocks = peer.chain.slice(from);
      world.request(peer, this, () => {
        if (this.incarnation !== incarnation) return;
        this.syncInFlight = false;
        world.stats.syncs++;
        let height = from;
        for (const entry of blocks) {
          height++;
          if (height <= this.height) continue;
          if (!this.commit(height, entry.blockHash, entry.certificate)) break;
        }
        this.startNext();
      });
    });
  }

  private outgoing(message: Message): void {
    const { world } = this;
    const mine = "vote" in message ? isMe(message.vote.validator, this) : isMe(message.proposal.proposer, this);
    const peers = (this.sendTo ?? world.nodes).filter((n) => n !== this);
    if (this.honest) {
      if (mine) world.invariants.onSigned(this.name, message);
      world.send(this, peers, message);
      return;
    }
    if (this.has(Behavior.WITHHOLD) && world.rng.chance(world.config.withholdRate)) return;
    if (!mine) {
      world.send(this, peers, message);
      return;
    }
    let original = message;
    // Vote for our invalid block where the engine would vote nil.
    const invalid = "vote" in message ? this.invalidBlocks.get(message.vote.height) : undefined;
    if ("vote" in message && invalid && message.vote.blockHash === null && this.has(Behavior.INVALID)) {
      original = { vote: this.signVote({ ...message.vote, blockHash: invalid }) };
    }
    if (!this.has(Behavior.EQUIVOCATE)) {
      world.send(this, peers, original);
      return;
    }
    const shuffled = world.rng.shuffle(peers);
    const half = Math.ceil(shuffled.length / 2);
    world.send(this, shuffled.slice(0, half), original);
    world.send(this, shuffled.slice(half), this.conflicting(original));
  }

  private conflicting(message: Message): Message {
    const { world } = this;
    if ("vote" in message) {
      const v = message.vote;
      const other = v.blockHash === null ? world.newBlock(v.height, world.rng.chance(0.5), this.id) : null;
      return { vote: this.signVote({ ...v, blockHash: other }) };
    }
    const p = message.proposal;
    const blockHash = world.newBlock(p.height, true, this.id);
    const unsigned = { height: p.height, round: p.round, polRound: p.polRound, blockHash };
    return {
      proposal: {
        ...unsigned,
        proposer: p.proposer,
        signature: this.key.signer.sign(proposalSigningBytes(world.chainId, unsigned)),
      },
    };
  }

  private signVote(v: Vote): Vote {
    return { ...v, signature: this.key.signer.sign(voteSigningBytes(this.world.chainId, v)) };
  }
}

function isMe(key: Uint8Array, node: SimNode): boolean {
  return equalBytes(key, node.key.publicKey);
}
