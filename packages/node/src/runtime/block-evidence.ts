import { verifyEvidence } from "@hansa/consensus";
import {
  bytesToHex,
  type Evidence,
  evidenceId,
  evidenceSubject,
  MAX_BLOCK_EVIDENCE,
  type ValidatorSet,
} from "@hansa/core";
import type { EvidencePool } from "./evidence-pool.js";

/** What checking evidence reads: the chain's id and past validator sets, and what is already on chain. */
export interface EvidenceContext {
  chain: { readonly chainId: string; validatorsAt(height: number): Promise<ValidatorSet> };
  store: { getEvidenceHeight(id: Uint8Array): Promise<number | undefined> };
}

/**
 * How many heights back evidence may reach. Older misbehaviour is no longer useful to act on, and the bound
 * keeps what a block can ask validators to look up (validator sets, the committed-evidence index) finite.
 */
export const EVIDENCE_MAX_AGE = 10_000;

/** Why `evidence` cannot go into block `height`, or undefined when it can. */
export async function evidenceProblem(
  evidence: Evidence,
  height: number,
  { chain, store }: EvidenceContext,
): Promise<string | undefined> {
  const at = evidenceSubject(evidence).height;
  if (at > height) return `is for height ${at}, above the block`;
  if (at + EVIDENCE_MAX_AGE < height) return `is for height ${at}, older than ${EVIDENCE_MAX_AGE} heights`;
  if (!verifyEvidence(chain.chainId, await chain.validatorsAt(at), evidence)) return "does not verify";
  if ((await store.getEvidenceHeight(evidenceId(evidence))) !== undefined) return "was committed before";
  return undefined;
}

/**
 * The evidence a proposer puts in block `height`: pending pieces that still qualify. A piece that no longer
 * does (committed meanwhile through sync, or aged out) leaves the pool for good.
 */
export async function selectEvidence(
  pool: EvidencePool,
  height: number,
  context: EvidenceContext,
): Promise<Evidence[]> {
  const selected: Evidence[] = [];
  const stale: Uint8Array[] = [];
  for (const evidence of pool.take(MAX_BLOCK_EVIDENCE)) {
    if ((await evidenceProblem(evidence, height, context)) === undefined) selected.push(evidence);
    else stale.push(evidenceId(evidence));
  }
  pool.remove(stale);
  return selected;
}

/** Checks every piece of a block's evidence; returns the first problem, naming the piece. */
export async function blockEvidenceProblem(
  evidence: readonly Evidence[],
  height: number,
  context: EvidenceContext,
): Promise<string | undefined> {
  const ids = new Set<string>();
  for (const [i, piece] of evidence.entries()) {
    const id = bytesToHex(evidenceId(piece));
    if (ids.has(id)) return `evidence ${i} repeats an earlier one`;
    ids.add(id);
    const problem = await evidenceProblem(piece, height, context);
    if (problem) return `evidence ${i} ${problem}`;
  }
  return undefined;
}
