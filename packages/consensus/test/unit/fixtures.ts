import {
  DEFAULT_CONSENSUS_PARAMS,
  getPublicKey,
  type Proposal,
  sha256,
  sign,
  signProposal,
  signVote,
  utf8ToBytes,
  ValidatorSet,
  type Vote,
  VoteType,
} from "@hansa/core";
import {
  ConsensusEngine,
  type EngineAction,
  type EngineOptions,
  proposerFor,
  type WalRecord,
} from "../../src/index.js";

export const CHAIN_ID = "test-chain";
export const PARAMS = {
  ...DEFAULT_CONSENSUS_PARAMS,
  timeoutProposeMs: 1000,
  timeoutPrevoteMs: 500,
  timeoutPrecommitMs: 500,
  timeoutDeltaMs: 500,
  timeoutCapMs: 3000,
};

export interface Net {
  secrets: Uint8Array[];
  keys: Uint8Array[];
  set: ValidatorSet;
}

/** n validators with real Ed25519 keys derived from their index. */
export function network(n: number, powers?: number[]): Net {
  const secrets = Array.from({ length: n }, (_, i) => sha256(utf8ToBytes(`validator-${i}`)));
  const keys = secrets.map((s) => getPublicKey(s));
  const set = new ValidatorSet(keys.map((publicKey, i) => ({ name: `v${i}`, publicKey, power: powers?.[i] ?? 1 })));
  return { secrets, keys, set };
}

export function engineFor(
  net: Net,
  index: number | null,
  records: WalRecord[] = [],
  extra: Partial<EngineOptions> = {},
) {
  const signer =
    index === null
      ? undefined
      : {
          publicKey: net.keys[index] as Uint8Array,
          sign: (m: Uint8Array) => sign(m, net.secrets[index] as Uint8Array),
        };
  return new ConsensusEngine({ chainId: CHAIN_ID, params: PARAMS, signer, ...extra }, records);
}

export const block = (label: string) => sha256(utf8ToBytes(label));

export function vote(
  net: Net,
  index: number,
  type: VoteType,
  height: number,
  round: number,
  blockHash: Uint8Array | null,
): Vote {
  return signVote(CHAIN_ID, { type, height, round, blockHash }, net.secrets[index] as Uint8Array);
}

export const prevote = (net: Net, i: number, h: number, r: number, b: Uint8Array | null) =>
  vote(net, i, VoteType.PREVOTE, h, r, b);
export const precommit = (net: Net, i: number, h: number, r: number, b: Uint8Array | null) =>
  vote(net, i, VoteType.PRECOMMIT, h, r, b);

/** A proposal signed by whoever proposes (height, round). */
export function proposal(
  net: Net,
  height: number,
  round: number,
  blockHash: Uint8Array,
  polRound: number | null = null,
): Proposal {
  const index = proposerIndex(net, height, round);
  return signProposal(CHAIN_ID, { height, round, polRound, blockHash }, net.secrets[index] as Uint8Array);
}

export function proposerIndex(net: Net, height: number, round: number): number {
  return net.set.indexOf(proposerFor(net.set, height, round).publicKey);
}

/** A compact picture of actions for step tables. */
export function summarize(actions: EngineAction[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case "persist":
        return `persist ${a.record.kind}`;
      case "broadcast_vote":
        return `${a.vote.type === VoteType.PREVOTE ? "prevote" : "precommit"} r${a.vote.round} ${a.vote.blockHash ? "block" : "nil"}`;
      case "broadcast_proposal":
        return `proposal r${a.proposal.round} pol=${a.proposal.polRound}`;
      case "schedule_timeout":
        return `timeout ${a.step} r${a.round} ${a.durationMs}ms`;
      case "build_block":
        return `build h${a.height} r${a.round}`;
      case "validate_block":
        return `validate h${a.height} r${a.round}`;
      case "commit":
        return `commit h${a.height} r${a.round}`;
      case "evidence":
        return `evidence ${a.evidence.kind}`;
      case "request_sync":
        return `sync ${a.height}`;
      default:
        return "unknown";
    }
  });
}
