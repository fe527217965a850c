// Domain separation: a signature made for one kind of message, or for one chain, verifies for no other.
import {
  bytesToHex,
  decode,
  decodeTransaction,
  encodeTransaction,
  getPublicKey,
  type Proposal,
  proposalSigningBytes,
  sign,
  signProposal,
  signTransaction,
  signVote,
  type Transaction,
  text,
  transactionSigningBytes,
  transactionSigningBytesFromEncoded,
  type Vote,
  VoteType,
  verify,
  verifyEncodedTransactionSignature,
  verifyProposalSignature,
  verifyTransactionSignature,
  verifyVoteSignature,
  voteSigningBytes,
} from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbTransaction, arbVote, CHAIN_ID, filled, secretKey } from "./helpers.js";

const sk = secretKey(5);
const pk = getPublicKey(sk);
const hash = filled(32, 0x5a);

const tx = signTransaction({ chainId: CHAIN_ID, nonce: 1, kind: "record.put", payload: new Uint8Array([1]) }, sk);
const vote = signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height: 1, round: 0, blockHash: hash }, sk);
const proposal = signProposal(CHAIN_ID, { height: 1, round: 0, polRound: null, blockHash: hash }, sk);

/** The domain tag: the first element of the signed CBOR array. */
function domainOf(signingBytes: Uint8Array): string {
  // Skip the array head (one byte for these short arrays) and read the first text item.
  const first = signingBytes.subarray(1);
  const length = ((first[0] as number) & 0x1f) + 1;
  return decode(text({ max: 64 }), first.subarray(0, length));
}

describe("domain separation", () => {
  it("each kind of message signs under its own tag", () => {
    expect(domainOf(transactionSigningBytes(tx))).toBe("hansa/tx/v1");
    expect(domainOf(voteSigningBytes(CHAIN_ID, vote))).toBe("hansa/vote/v1");
    expect(domainOf(proposalSigningBytes(CHAIN_ID, proposal))).toBe("hansa/proposal/v1");
  });

  it("each signature verifies as what it was made for", () => {
    expect(verifyTransactionSignature(tx)).toBe(true);
    expect(verifyVoteSignature(CHAIN_ID, vote)).toBe(true);
    expect(verifyProposalSignature(CHAIN_ID, proposal)).toBe(true);
  });

  it("a transaction signature never verifies as a vote or a proposal", () => {
    const asVote: Vote = { ...vote, signature: tx.signature };
    const asProposal: Proposal = { ...proposal, signature: tx.signature };
    expect(verifyVoteSignature(CHAIN_ID, asVote)).toBe(false);
    expect(verifyProposalSignature(CHAIN_ID, asProposal)).toBe(false);
  });

  it("a vote signature never verifies as a transaction or a proposal", () => {
    expect(verifyTransactionSignature({ ...tx, signature: vote.signature })).toBe(false);
    expect(verifyProposalSignature(CHAIN_ID, { ...proposal, signature: vote.signature })).toBe(false);
    // A prevote is not a precommit.
    expect(verifyVoteSignature(CHAIN_ID, { ...vote, type: VoteType.PREVOTE })).toBe(false);
  });

  it("a proposal signature never verifies as a transaction or a vote", () => {
    expect(verifyTransactionSignature({ ...tx, signature: proposal.signature })).toBe(false);
    expect(verifyVoteSignature(CHAIN_ID, { ...vote, signature: proposal.signature })).toBe(false);
  });

  it("a signature for chain A fails for chain B", () => {
    const other = "chain-b";
    expect(verifyTransactionSignature({ ...tx, chainId: other })).toBe(false);
    expect(verifyVoteSignature(other, vote)).toBe(false);
    expect(verifyProposalSignature(other, proposal)).toBe(false);
  });

  it("signing bytes of the three kinds never coincide, for any fields (fast-check)", () => {
    fc.assert(
      fc.property(arbTransaction, arbVote, (t: Transaction, v: Vote) => {
        const txBytes = bytesToHex(transactionSigningBytes(t));
        const voteBytes = bytesToHex(voteSigningBytes(t.chainId, v));
        const proposalBytes = bytesToHex(
          proposalSigningBytes(t.chainId, { height: v.height, round: v.round, polRound: null, blockHash: hash }),
        );
        expect(new Set([txBytes, voteBytes, proposalBytes]).size).toBe(3);
        // And a signature over one never verifies over another.
        const sig = sign(transactionSigningBytes(t), sk);
        expect(verify(sig, voteSigningBytes(t.chainId, v), pk)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it("every field of a transaction is signed", () => {
    const changes: Partial<Transaction>[] = [
      { nonce: 2 },
      { kind: "record.delete" },
      { payload: new Uint8Array([2]) },
      { sender: getPublicKey(secretKey(6)) },
      { chainId: "hansa-other" },
    ];
    for (const change of changes) expect(verifyTransactionSignature({ ...tx, ...change })).toBe(false);
  });

  it("signing bytes cut from a canonical encoding equal those encoded from the fields (fast-check)", () => {
    fc.assert(
      fc.property(arbTransaction, (t: Transaction) => {
        const encoded = encodeTransaction(t);
        expect(transactionSigningBytesFromEncoded(encoded)).toEqual(transactionSigningBytes(t));
      }),
      { numRuns: 200 },
    );
    const encoded = encodeTransaction(tx);
    expect(verifyEncodedTransactionSignature(tx, encoded)).toBe(true);
    const forged = encodeTransaction({ ...tx, nonce: 2 });
    expect(verifyEncodedTransactionSignature(decodeTransaction(forged), forged)).toBe(false);
    // Anything but an encoded transaction is refused, not misread.
    expect(() => transactionSigningBytesFromEncoded(encoded.subarray(0, encoded.length - 1))).toThrow(TypeError);
  });

  it("every field of a vote and a proposal is signed (except the signer, which certificates name by index)", () => {
    for (const change of [{ height: 2 }, { round: 1 }, { blockHash: null }, { blockHash: filled(32, 1) }]) {
      expect(verifyVoteSignature(CHAIN_ID, { ...vote, ...change })).toBe(false);
    }
    for (const change of [{ height: 2 }, { round: 1 }, { polRound: 0 }, { blockHash: filled(32, 1) }]) {
      expect(verifyProposalSignature(CHAIN_ID, { ...proposal, ...change })).toBe(false);
    }
  });
});
