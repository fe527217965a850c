import { bytes, decode, encode, type Infer, nullable, oneOf, struct, text, uint } from "../encoding/index.js";
import { getPublicKey, sign, verify } from "../keys/ed25519.js";
import { CHAIN_ID_PATTERN } from "../limits.js";

/**
 * A proposer's signed claim "at (height, round) I propose the block with this hash". `polRound` is the round
 * of the proof of lock the proposer re-proposes from (Tendermint's validRound), or null for a fresh block.
 * The block itself travels beside the proposal.
 */
export const ProposalCodec = struct("Proposal", {
  height: uint(),
  round: uint(),
  polRound: nullable(uint()),
  blockHash: bytes(32),
  proposer: bytes(32),
  signature: bytes(64),
});

export type Proposal = Infer<typeof ProposalCodec>;
export type UnsignedProposal = Omit<Proposal, "signature" | "proposer">;

const ProposalSigningCodec = struct("ProposalSigning", {
  domain: oneOf(["hansa/proposal/v1"] as const),
  chainId: text({ max: 64, pattern: CHAIN_ID_PATTERN }),
  height: uint(),
  round: uint(),
  polRound: nullable(uint()),
  blockHash: bytes(32),
});

export function proposalSigningBytes(chainId: string, p: UnsignedProposal): Uint8Array {
  return encode(ProposalSigningCodec, {
    domain: "hansa/proposal/v1",
    chainId,
    height: p.height,
    round: p.round,
    polRound: p.polRound,
    blockHash: p.blockHash,
  });
}

export function signProposal(chainId: string, p: UnsignedProposal, secretKey: Uint8Array): Proposal {
  return { ...p, proposer: getPublicKey(secretKey), signature: sign(proposalSigningBytes(chainId, p), secretKey) };
}

export function verifyProposalSignature(chainId: string, p: Proposal): boolean {
  return verify(p.signature, proposalSigningBytes(chainId, p), p.proposer);
}

export function encodeProposal(p: Proposal): Uint8Array {
  return encode(ProposalCodec, p);
}

export function decodeProposal(data: Uint8Array): Proposal {
  return decode(ProposalCodec, data, 1024);
}
