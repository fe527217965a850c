// Commit certificates built from real signed precommits of a 4-validator set, and every way verifyCommit
// refuses one.
import {
  type CommitCertificate,
  CommitError,
  commitFromPrecommits,
  decodeCommit,
  encodeCommit,
  getPublicKey,
  sign,
  signVote,
  ValidatorSet,
  VoteType,
  verifyCommit,
  verifyPortable,
  voteSigningBytes,
} from "@hansa/core";
import { describe, expect, it } from "vitest";
import { CHAIN_ID, expectCode, filled, secretKey } from "./helpers.js";

const keys = [0, 1, 2, 3].map((i) => secretKey(100 + i));
const validators = new ValidatorSet(
  keys.map((sk, i) => ({ name: `validator-${i}`, publicKey: getPublicKey(sk), power: 1 })),
);
const height = 42;
const round = 1;
const blockHash = filled(32, 0xb1);
const expectBlock = { height, blockHash };

function precommits(signers: number[], chainId = CHAIN_ID, type: VoteType = VoteType.PRECOMMIT) {
  return signers.map((i) => signVote(chainId, { type, height, round, blockHash }, keys[i]!));
}

function certificate(signers: number[]): CommitCertificate {
  return commitFromPrecommits(validators, precommits(signers));
}

const verifyCert = (cert: CommitCertificate, chainId = CHAIN_ID, set = validators) =>
  verifyCommit(chainId, set, cert, expectBlock);

describe("commit certificates", () => {
  it("build from precommits in any order, signers sorted by index, and verify with a quorum", () => {
    const cert = commitFromPrecommits(validators, precommits([3, 0, 2]));
    expect(cert.signatures.map((s) => s.validatorIndex)).toEqual([0, 2, 3]);
    expect(cert).toMatchObject({ height, round, blockHash });
    expect(() => verifyCert(cert)).not.toThrow();
    expect(() => verifyCert(certificate([0, 1, 2, 3]))).not.toThrow();
  });

  it("round trip through their encoding and still verify", () => {
    const cert = certificate([0, 1, 3]);
    const back = decodeCommit(encodeCommit(cert));
    expect(back).toEqual(cert);
    expect(() => verifyCert(back)).not.toThrow();
  });

  it("accept the portable verifier too", () => {
    expect(() => verifyCommit(CHAIN_ID, validators, certificate([1, 2, 3]), expectBlock, verifyPortable)).not.toThrow();
  });

  it("refuse below quorum: 2 of 4", () => {
    const err = expectCode(() => verifyCert(certificate([0, 1])), "COMMIT_NO_QUORUM");
    expect(err).toBeInstanceOf(CommitError);
    expect((err as CommitError).type).toEqual({ code: "COMMIT_NO_QUORUM", power: 2, total: 4 });
    expectCode(() => verifyCert({ ...certificate([0]), signatures: [] }), "COMMIT_NO_QUORUM");
  });

  it("refuse exactly 2/3 of the power, and accept just above it", () => {
    // Powers 2, 2, 1, 1: total 6, and validators 0 and 1 hold exactly 4 = 2/3 of it.
    const weighted = new ValidatorSet(validators.validators.map((v, i) => ({ ...v, power: i < 2 ? 2 : 1 })));
    const twoThirds = commitFromPrecommits(weighted, precommits([0, 1]));
    const err = expectCode(() => verifyCert(twoThirds, CHAIN_ID, weighted), "COMMIT_NO_QUORUM");
    expect((err as CommitError).type).toMatchObject({ power: 4, total: 6 });
    expect(() => verifyCert(commitFromPrecommits(weighted, precommits([0, 1, 2])), CHAIN_ID, weighted)).not.toThrow();
  });

  it("refuse a bad signature, naming the signer", () => {
    const cert = certificate([0, 1, 2]);
    const bad = structuredClone(cert);
    bad.signatures[1]!.signature[0]! ^= 1;
    const err = expectCode(() => verifyCert(bad), "COMMIT_BAD_SIGNATURE");
    expect((err as CommitError).type).toEqual({ code: "COMMIT_BAD_SIGNATURE", index: 1 });
    // A valid signature of another validator under the wrong index.
    const moved = structuredClone(cert);
    moved.signatures[2]!.signature = cert.signatures[1]!.signature;
    expectCode(() => verifyCert(moved), "COMMIT_BAD_SIGNATURE");
  });

  it("refuse unordered and duplicate indices", () => {
    const cert = certificate([0, 1, 2]);
    const unordered = { ...cert, signatures: [cert.signatures[1]!, cert.signatures[0]!, cert.signatures[2]!] };
    expectCode(() => verifyCert(unordered), "COMMIT_BAD_ORDER");
    // The same signer three times would otherwise count three times.
    const duplicate = { ...cert, signatures: [cert.signatures[0]!, cert.signatures[0]!, cert.signatures[0]!] };
    const err = expectCode(() => verifyCert(duplicate), "COMMIT_BAD_ORDER");
    expect((err as CommitError).type).toEqual({ code: "COMMIT_BAD_ORDER", index: 0 });
  });

  it("refuse an index outside the validator set", () => {
    const cert = certificate([0, 1, 2]);
    const unknown = { ...cert, signatures: [...cert.signatures, { validatorIndex: 4, signature: filled(64, 1) }] };
    const err = expectCode(() => verifyCert(unknown), "COMMIT_UNKNOWN_VALIDATOR");
    expect((err as CommitError).type).toEqual({ code: "COMMIT_UNKNOWN_VALIDATOR", index: 4 });
  });

  it("refuse another block or height than expected", () => {
    const cert = certificate([0, 1, 2]);
    expectCode(
      () => verifyCommit(CHAIN_ID, validators, cert, { height, blockHash: filled(32, 0xb2) }),
      "COMMIT_WRONG_BLOCK",
    );
    expectCode(() => verifyCommit(CHAIN_ID, validators, cert, { height: height + 1, blockHash }), "COMMIT_WRONG_BLOCK");
    // Rewriting the certificate to claim the other block leaves signatures over the original one.
    const rewritten = { ...cert, blockHash: filled(32, 0xb2) };
    expectCode(
      () => verifyCommit(CHAIN_ID, validators, rewritten, { height, blockHash: filled(32, 0xb2) }),
      "COMMIT_BAD_SIGNATURE",
    );
    expectCode(() => verifyCert({ ...cert, round: round + 1 }), "COMMIT_BAD_SIGNATURE");
  });

  it("refuse prevote signatures in place of precommits", () => {
    const prevotes = precommits([0, 1, 2], CHAIN_ID, VoteType.PREVOTE);
    // commitFromPrecommits will not build one...
    expect(() => commitFromPrecommits(validators, prevotes)).toThrow(RangeError);
    // ...and one built by hand does not verify.
    const forged: CommitCertificate = {
      height,
      round,
      blockHash,
      signatures: prevotes.map((v, i) => ({ validatorIndex: i, signature: v.signature })),
    };
    expectCode(() => verifyCert(forged), "COMMIT_BAD_SIGNATURE");
  });

  it("refuse signatures made for another chain id", () => {
    const other = commitFromPrecommits(validators, precommits([0, 1, 2], "other-chain"));
    expectCode(() => verifyCert(other), "COMMIT_BAD_SIGNATURE");
    expect(() => verifyCert(other, "other-chain")).not.toThrow();
  });

  it("refuse a signature over the right bytes by a key outside the set", () => {
    const cert = certificate([0, 1, 2]);
    const message = voteSigningBytes(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round, blockHash });
    const outsider = structuredClone(cert);
    outsider.signatures[0]!.signature = sign(message, secretKey(200));
    expectCode(() => verifyCert(outsider), "COMMIT_BAD_SIGNATURE");
  });

  it("commitFromPrecommits refuses no votes, nil votes and votes for different blocks, and drops strangers", () => {
    expect(() => commitFromPrecommits(validators, [])).toThrow(RangeError);
    const nil = signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round, blockHash: null }, keys[0]!);
    expect(() => commitFromPrecommits(validators, [nil])).toThrow(RangeError);
    const other = signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round, blockHash: filled(32, 9) }, keys[1]!);
    expect(() => commitFromPrecommits(validators, [...precommits([0]), other])).toThrow(RangeError);
    const stranger = signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round, blockHash }, secretKey(200));
    const cert = commitFromPrecommits(validators, [...precommits([0, 1, 2]), stranger]);
    expect(cert.signatures.map((s) => s.validatorIndex)).toEqual([0, 1, 2]);
  });
});
