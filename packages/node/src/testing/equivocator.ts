import {
  blockHash,
  encodeBlock,
  type Proposal,
  sha256Parts,
  signProposal,
  signVote,
  utf8ToBytes,
  type Vote,
} from "@hansa/core";
import type { PreparedBlock } from "../runtime/blocks.js";

/** A conflicting proposal and the block it names. */
export interface ConflictingProposal {
  proposal: Proposal;
  blockBytes: Uint8Array;
}

/**
 * The byzantine half of a validator started with `HANSA_TEST_BYZANTINE=equivocate`, for fault tests only:
 * next to every message its honest engine signs, it signs a conflicting one for the same height, round and
 * step. The engine and its WAL never learn of them, exactly as a faulty or malicious build would behave;
 * honest validators must detect the pair, record it on chain, and stay safe.
 */
export class Equivocator {
  constructor(
    private readonly chainId: string,
    private readonly secretKey: Uint8Array,
  ) {}

  /** The other vote: nil for a block, or a block nobody proposed for nil. */
  conflictingVote(vote: Vote): Vote {
    const blockHash =
      vote.blockHash === null ? sha256Parts(utf8ToBytes(`hansa/test/equivocation/${vote.height}/${vote.round}`)) : null;
    return signVote(
      this.chainId,
      { type: vote.type, height: vote.height, round: vote.round, blockHash },
      this.secretKey,
    );
  }

  /** The same block a millisecond later: as valid as the real one, with a different hash. */
  conflictingProposal(proposal: Proposal, prepared: PreparedBlock): ConflictingProposal {
    const block = { ...prepared.block, header: { ...prepared.block.header, time: prepared.block.header.time + 1 } };
    const unsigned = { height: proposal.height, round: proposal.round, polRound: proposal.polRound };
    return {
      proposal: signProposal(this.chainId, { ...unsigned, blockHash: blockHash(block.header) }, this.secretKey),
      blockBytes: encodeBlock(block),
    };
  }
}
