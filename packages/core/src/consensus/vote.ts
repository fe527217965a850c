import {
  bytes,
  type Codec,
  decode,
  encode,
  type Infer,
  nullable,
  oneOf,
  schemaError,
  struct,
  text,
  uint,
} from "../encoding/index.js";
import { getPublicKey, sign, verify } from "../keys/ed25519.js";
import { CHAIN_ID_PATTERN } from "../limits.js";

/** The two voting steps of a round. Numbers on the wire, names in code. */
export const VoteType = { PREVOTE: 1, PRECOMMIT: 2 } as const;
export type VoteType = (typeof VoteType)[keyof typeof VoteType];

const voteType: Codec<VoteType> = {
  describe: "vote type (1 prevote, 2 precommit)",
  toCbor(v) {
    if (v !== VoteType.PREVOTE && v !== VoteType.PRECOMMIT) throw new RangeError(`expected vote type 1 or 2, got ${v}`);
    return v;
  },
  fromCbor(raw, path) {
    if (raw !== VoteType.PREVOTE && raw !== VoteType.PRECOMMIT) throw schemaError(path, "vote type 1 or 2");
    return raw;
  },
};

/** A signed vote. `blockHash` null is a vote for nil (no block this round). */
export const VoteCodec = struct("Vote", {
  type: voteType,
  height: uint(),
  round: uint(),
  blockHash: nullable(bytes(32)),
  validator: bytes(32),
  signature: bytes(64),
});

export type Vote = Infer<typeof VoteCodec>;
export type UnsignedVote = Omit<Vote, "signature">;

const VoteSigningCodec = struct("VoteSigning", {
  domain: oneOf(["hansa/vote/v1"] as const),
  chainId: text({ max: 64, pattern: CHAIN_ID_PATTERN }),
  type: voteType,
  height: uint(),
  round: uint(),
  blockHash: nullable(bytes(32)),
});

/**
 * What a validator signs for a vote: domain tag, chain id, step, height, round and block hash. The signer is
 * not inside: precommit signatures are copied as they are into commit certificates, which name signers by
 * index.
 */
export function voteSigningBytes(chainId: string, vote: Omit<UnsignedVote, "validator">): Uint8Array {
  return encode(VoteSigningCodec, {
    domain: "hansa/vote/v1",
    chainId,
    type: vote.type,
    height: vote.height,
    round: vote.round,
    blockHash: vote.blockHash,
  });
}

export function signVote(chainId: string, vote: Omit<UnsignedVote, "validator">, secretKey: Uint8Array): Vote {
  return {
    ...vote,
    validator: getPublicKey(secretKey),
    signature: sign(voteSigningBytes(chainId, vote), secretKey),
  };
}

export function verifyVoteSignature(chainId: string, vote: Vote): boolean {
  return verify(vote.signature, voteSigningBytes(chainId, vote), vote.validator);
}

export function encodeVote(vote: Vote): Uint8Array {
  return encode(VoteCodec, vote);
}

export function decodeVote(data: Uint8Array): Vote {
  return decode(VoteCodec, data, 1024);
}
