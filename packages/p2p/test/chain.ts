import {
  type Block,
  blockHash,
  commitFromPrecommits,
  commitHash,
  decodeBlock,
  decodeCommit,
  EMPTY_ROOT,
  encodeBlock,
  encodeCommit,
  equalBytes,
  signVote,
  ValidatorSet,
  VoteType,
  verifyCommit,
} from "@hansa/core";
import type { BlockWithCommit } from "@hansa/p2p";
import { CHAIN_ID, type TestKey } from "./helpers.js";

/**
 * A chain of empty blocks, each with a real commit certificate: precommits signed by three of the four
 * validators, turned into a certificate by core.
 */
export function buildChain(validatorKeys: TestKey[], length: number): BlockWithCommit[] {
  const validators = validatorSet(validatorKeys);
  const items: BlockWithCommit[] = [];
  let prevHash: Uint8Array = new Uint8Array(32);
  let lastCommit: Block["lastCommit"] = null;
  for (let height = 1; height <= length; height++) {
    const block: Block = {
      header: {
        chainId: CHAIN_ID,
        height,
        time: 1_700_000_000_000 + height,
        prevBlockHash: prevHash,
        txRoot: EMPTY_ROOT,
        stateRoot: EMPTY_ROOT,
        receiptsRoot: EMPTY_ROOT,
        evidenceRoot: EMPTY_ROOT,
        validatorSetHash: validators.hash,
        proposer: validatorKeys[height % validatorKeys.length]!.publicKey,
        lastCommitHash: lastCommit ? commitHash(lastCommit) : null,
      },
      txs: [],
      evidence: [],
      lastCommit,
    };
    const hash = blockHash(block.header);
    const precommits = validatorKeys
      .slice(0, 3)
      .map((k) => signVote(CHAIN_ID, { type: VoteType.PRECOMMIT, height, round: 0, blockHash: hash }, k.secretKey));
    const cert = commitFromPrecommits(validators, precommits);
    items.push({ block: encodeBlock(block), commit: encodeCommit(cert) });
    prevHash = hash;
    lastCommit = cert;
  }
  return items;
}

/**
 * The same blocks with forged certificates: the signer indexes stay, the signatures are not the validators'
 * (one bit flipped, so the forgery costs nothing to make and still decodes).
 */
export function forgeCertificates(chain: BlockWithCommit[]): BlockWithCommit[] {
  return chain.map(({ block, commit }) => {
    const cert = decodeCommit(commit);
    const signatures = cert.signatures.map((s) => {
      const signature = Uint8Array.from(s.signature);
      signature[0] = (signature[0] as number) ^ 1;
      return { validatorIndex: s.validatorIndex, signature };
    });
    return { block, commit: encodeCommit({ ...cert, signatures }) };
  });
}

export function validatorSet(keys: TestKey[]): ValidatorSet {
  return new ValidatorSet(keys.map((k, i) => ({ name: `v${i}`, publicKey: k.publicKey, power: 1 })));
}

/** What a node checks before accepting a synced block: its height, its link, and its certificate. */
export function chainVerifier(validators: ValidatorSet) {
  let prevHash: Uint8Array = new Uint8Array(32);
  return (blockBytes: Uint8Array, commitBytes: Uint8Array, height: number) => {
    const block = decodeBlock(blockBytes);
    if (block.header.height !== height) throw new Error(`block has height ${block.header.height}, not ${height}`);
    if (!equalBytes(block.header.prevBlockHash, prevHash)) throw new Error(`block ${height} does not extend the chain`);
    const hash = blockHash(block.header);
    verifyCommit(CHAIN_ID, validators, decodeCommit(commitBytes), { height, blockHash: hash });
    prevHash = hash;
  };
}
