import { equalBytes, type Validator, ValidatorSet } from "@hansa/core";
import { MAX_PENDING_PROPOSALS, PROPOSAL_TTL_BLOCKS, VALIDATOR_UPDATE_DELAY } from "../constants.js";
import { requireValidator, type TxContext } from "../context.js";
import { LedgerErrorCode, ledgerError } from "../errors.js";
import type { PayloadOf } from "../payloads.js";
import { encodeProposalResult } from "../results.js";
import type { Proposal } from "../schema.js";
import { applyValidatorChange, checkValidatorChangeSafety } from "../validator-change.js";

/**
 * Validator-set governance. A validator proposes one change (its own vote included); validators of the
 * set in force vote; once the voters hold more than 2/3 of that set's power the change is applied on top of
 * the latest decided set and takes effect VALIDATOR_UPDATE_DELAY blocks later.
 */

async function latestSet(ctx: TxContext): Promise<{ fromHeight: number; validators: Validator[] }> {
  const latest = await ctx.store.latestValidators();
  if (latest === undefined) throw new Error("state has no validator set");
  return latest;
}

/** Checks the change against the latest decided set and, if it passes, schedules it. */
async function enact(ctx: TxContext, proposal: Proposal): Promise<Proposal> {
  const base = await latestSet(ctx);
  const next = applyValidatorChange(base.validators, proposal);
  checkValidatorChangeSafety(base.validators, next, proposal.force);
  const effectiveHeight = ctx.height + VALIDATOR_UPDATE_DELAY;
  // Several changes passed in one block share one effective height: the last set written wins.
  if (base.fromHeight !== effectiveHeight) {
    ctx.store.putValidatorIndex([...(await ctx.store.validatorIndex()), effectiveHeight]);
  }
  ctx.store.putValidatorSet(effectiveHeight, next);
  if (proposal.op === "add" && (await ctx.store.account(proposal.publicKey)) === undefined) {
    ctx.store.putAccount(proposal.publicKey, { nonce: 0 });
  }
  const pending = await ctx.store.pendingProposals();
  ctx.store.putPendingProposals(pending.filter((id) => id !== proposal.id));
  return { ...proposal, status: "passed", effectiveHeight };
}

/** Records the proposal, enacting it first if its votes already hold more than 2/3 of the power in force. */
async function tallyAndStore(ctx: TxContext, proposal: Proposal, inForce: Validator[]): Promise<Uint8Array> {
  const set = new ValidatorSet(inForce);
  // Votes of validators no longer in force count nothing; dropping them keeps the list within one set's size.
  const votes = proposal.votes.filter((v) => set.has(v));
  const power = votes.reduce((sum, v) => sum + set.powerOf(v), 0);
  const tallied = { ...proposal, votes };
  const final = set.isQuorum(power) ? await enact(ctx, tallied) : tallied;
  ctx.store.putProposal(final);
  return encodeProposalResult({
    proposalId: final.id,
    status: final.status,
    effectiveHeight: final.effectiveHeight,
  });
}

export async function governancePropose(ctx: TxContext, p: PayloadOf<"governance.propose">): Promise<Uint8Array> {
  const inForce = await requireValidator(ctx);
  // Checked now too, so a change that could never apply fails at once rather than at its last vote.
  const base = await latestSet(ctx);
  checkValidatorChangeSafety(base.validators, applyValidatorChange(base.validators, p), p.force);

  let pending = await ctx.store.pendingProposals();
  if (pending.length >= MAX_PENDING_PROPOSALS) {
    const live: number[] = [];
    for (const id of pending) {
      const prop = await ctx.store.proposal(id);
      if (prop !== undefined && prop.expiresHeight >= ctx.height) live.push(id);
    }
    pending = live;
  }
  if (pending.length >= MAX_PENDING_PROPOSALS) {
    throw ledgerError(LedgerErrorCode.TOO_MANY_PROPOSALS, `${MAX_PENDING_PROPOSALS} proposals are already pending`);
  }
  const id = await ctx.store.nextProposalId();
  ctx.store.putNextProposalId(id + 1);
  ctx.store.putPendingProposals([...pending, id]);
  const proposal: Proposal = {
    id,
    proposer: ctx.sender,
    op: p.op,
    name: p.name,
    publicKey: p.publicKey,
    power: p.power,
    force: p.force,
    createdHeight: ctx.height,
    expiresHeight: ctx.height + PROPOSAL_TTL_BLOCKS,
    votes: [ctx.sender],
    status: "pending",
    effectiveHeight: null,
  };
  return tallyAndStore(ctx, proposal, inForce);
}

export async function governanceVote(ctx: TxContext, p: PayloadOf<"governance.vote">): Promise<Uint8Array> {
  const inForce = await requireValidator(ctx);
  const proposal = await ctx.store.proposal(p.proposalId);
  if (proposal === undefined) throw ledgerError(LedgerErrorCode.PROPOSAL_NOT_FOUND, `no proposal ${p.proposalId}`);
  if (proposal.status !== "pending") {
    throw ledgerError(LedgerErrorCode.PROPOSAL_CLOSED, `proposal ${p.proposalId} has already passed`);
  }
  if (ctx.height > proposal.expiresHeight) {
    throw ledgerError(
      LedgerErrorCode.PROPOSAL_EXPIRED,
      `proposal ${p.proposalId} expired at height ${proposal.expiresHeight}`,
    );
  }
  if (proposal.votes.some((v) => equalBytes(v, ctx.sender))) {
    throw ledgerError(LedgerErrorCode.ALREADY_VOTED, `sender already voted for proposal ${p.proposalId}`);
  }
  return tallyAndStore(ctx, { ...proposal, votes: [...proposal.votes, ctx.sender] }, inForce);
}
