import {
  type Codec,
  decodeEvidence,
  EncodingErrorCode,
  encode,
  evidenceId,
  evidenceSubject,
  signProposal,
  signVote,
  VoteCodec,
  VoteType,
} from "@hansa/core";
import { describe, expect, it } from "vitest";
import { CHAIN_ID, expectEncodingError, filled, sampleVote, secretKey } from "./helpers.js";

const vote = (blockHash: Uint8Array | null, type: VoteType = VoteType.PREVOTE) =>
  signVote(CHAIN_ID, { type, height: 7, round: 2, blockHash }, secretKey(1));

describe("evidence", () => {
  it("names who equivocated where, for votes and proposals", () => {
    expect(evidenceSubject({ kind: "duplicate_vote", first: vote(null), second: vote(filled(32, 1)) })).toEqual({
      validator: vote(null).validator,
      height: 7,
      round: 2,
      step: "prevote",
    });
    const proposal = (fill: number) =>
      signProposal(CHAIN_ID, { height: 3, round: 0, polRound: null, blockHash: filled(32, fill) }, secretKey(2));
    const subject = evidenceSubject({ kind: "duplicate_proposal", first: proposal(1), second: proposal(2) });
    expect(subject).toMatchObject({ height: 3, round: 0, step: "proposal" });
  });

  it("has one id per misbehaviour, whichever pair of messages shows it", () => {
    const a = { kind: "duplicate_vote" as const, first: vote(null), second: vote(filled(32, 1)) };
    const b = { kind: "duplicate_vote" as const, first: vote(filled(32, 2)), second: vote(filled(32, 3)) };
    expect(evidenceId(a)).toEqual(evidenceId(b));
    const precommits = { kind: "duplicate_vote" as const, first: vote(null, 2), second: vote(filled(32, 1), 2) };
    expect(evidenceId(precommits)).not.toEqual(evidenceId(a));
  });

  it("refuses an unknown kind and a kind whose messages are of the other type", () => {
    const raw: Codec<unknown> = { describe: "raw", toCbor: (v) => v, fromCbor: (v) => v };
    // Nil votes: a vote and a proposal both have six fields, but a proposal always names a block.
    const nil = { ...sampleVote(), blockHash: null };
    const votes = [VoteCodec.toCbor(nil), VoteCodec.toCbor(nil)];
    expectEncodingError(() => decodeEvidence(encode(raw, ["duplicate_vota", ...votes])), EncodingErrorCode.SCHEMA);
    expectEncodingError(() => decodeEvidence(encode(raw, ["duplicate_proposal", ...votes])), EncodingErrorCode.SCHEMA);
    expectEncodingError(() => decodeEvidence(encode(raw, ["duplicate_vote", votes[0]])), EncodingErrorCode.SCHEMA);
  });
});
