import { equalBytes, ROLES, type Role, type Validator } from "@hansa/core";
import { LedgerErrorCode, ledgerError } from "./errors.js";
import type { Membership } from "./schema.js";
import type { LedgerStore } from "./store.js";

/** What a transaction handler sees: its own overlay, its sender, and the block it runs in. */
export interface TxContext {
  store: LedgerStore;
  sender: Uint8Array;
  height: number;
  /** Block time (ms since the epoch): the only clock the ledger has. */
  time: number;
  txHash: Uint8Array;
}

export function hasRole(m: Membership, role: Role): boolean {
  return m.roles.includes(role);
}

/** Roles in the order of ROLES, so equal role sets always encode the same. */
export function canonicalRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

export async function requireMember(ctx: TxContext): Promise<Membership> {
  const m = await ctx.store.membership(ctx.sender);
  if (m === undefined) throw ledgerError(LedgerErrorCode.NOT_MEMBER, "sender is not a member of any organization");
  return m;
}

/** The sender's membership, if it is an admin (of `org`, when given). */
export async function requireAdmin(ctx: TxContext, org?: string): Promise<Membership> {
  const m = await requireMember(ctx);
  if (!hasRole(m, "admin")) throw ledgerError(LedgerErrorCode.PERMISSION_DENIED, `sender is not an admin of ${m.org}`);
  if (org !== undefined && m.org !== org) {
    throw ledgerError(LedgerErrorCode.PERMISSION_DENIED, `sender is an admin of ${m.org}, not of ${org}`);
  }
  return m;
}

/** The validator set in force at this height, if the sender is in it. */
export async function requireValidator(ctx: TxContext): Promise<Validator[]> {
  const set = (await ctx.store.validatorsAt(ctx.height)) ?? [];
  if (!set.some((v) => equalBytes(v.publicKey, ctx.sender))) {
    throw ledgerError(LedgerErrorCode.NOT_VALIDATOR, `sender is not a validator at height ${ctx.height}`);
  }
  return set;
}
