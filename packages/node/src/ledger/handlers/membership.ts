import { canonicalRoles, hasRole, requireAdmin, type TxContext } from "../context.js";
import { LedgerErrorCode, ledgerError } from "../errors.js";
import type { PayloadOf } from "../payloads.js";
import type { OrgEntry } from "../schema.js";

/** Organizations come from genesis; their admins add, remove and re-role members of their own organization. */

async function orgOf(ctx: TxContext, id: string): Promise<OrgEntry> {
  const org = await ctx.store.org(id);
  // Memberships only ever name organizations from genesis, which are never removed.
  if (org === undefined) throw new Error(`membership names missing organization ${id}`);
  return org;
}

export async function memberAdd(ctx: TxContext, p: PayloadOf<"member.add">): Promise<undefined> {
  const admin = await requireAdmin(ctx);
  const existing = await ctx.store.membership(p.publicKey);
  if (existing !== undefined) {
    throw ledgerError(LedgerErrorCode.MEMBER_EXISTS, `key is already a member of ${existing.org}`);
  }
  const roles = canonicalRoles(p.roles);
  ctx.store.putMembership(p.publicKey, { org: admin.org, roles });
  if (roles.includes("admin")) {
    const org = await orgOf(ctx, admin.org);
    ctx.store.putOrg({ ...org, admins: org.admins + 1 });
  }
  // The account (and its nonce) outlives membership, so a key re-added later cannot replay old transactions.
  if ((await ctx.store.account(p.publicKey)) === undefined) ctx.store.putAccount(p.publicKey, { nonce: 0 });
  return undefined;
}

export async function memberRemove(ctx: TxContext, p: PayloadOf<"member.remove">): Promise<undefined> {
  const admin = await requireAdmin(ctx);
  const target = await ctx.store.membership(p.publicKey);
  if (target === undefined) throw ledgerError(LedgerErrorCode.UNKNOWN_MEMBER, "key is not a member");
  if (target.org !== admin.org) {
    throw ledgerError(LedgerErrorCode.PERMISSION_DENIED, `member belongs to ${target.org}, not to ${admin.org}`);
  }
  if (hasRole(target, "admin")) {
    const org = await orgOf(ctx, target.org);
    if (org.admins <= 1) {
      throw ledgerError(LedgerErrorCode.LAST_ADMIN, `cannot remove the last admin of ${org.id}`);
    }
    ctx.store.putOrg({ ...org, admins: org.admins - 1 });
  }
  ctx.store.deleteMembership(p.publicKey);
  return undefined;
}

export async function memberSetRoles(ctx: TxContext, p: PayloadOf<"member.set_roles">): Promise<undefined> {
  const admin = await requireAdmin(ctx);
  const target = await ctx.store.membership(p.publicKey);
  if (target === undefined) throw ledgerError(LedgerErrorCode.UNKNOWN_MEMBER, "key is not a member");
  if (target.org !== admin.org) {
    throw ledgerError(LedgerErrorCode.PERMISSION_DENIED, `member belongs to ${target.org}, not to ${admin.org}`);
  }
  const roles = canonicalRoles(p.roles);
  const wasAdmin = hasRole(target, "admin");
  const isAdmin = roles.includes("admin");
  if (wasAdmin !== isAdmin) {
    const org = await orgOf(ctx, target.org);
    if (wasAdmin && org.admins <= 1) {
      throw ledgerError(LedgerErrorCode.LAST_ADMIN, `cannot take the admin role from the last admin of ${org.id}`);
    }
    ctx.store.putOrg({ ...org, admins: org.admins + (isAdmin ? 1 : -1) });
  }
  ctx.store.putMembership(p.publicKey, { org: target.org, roles });
  return undefined;
}
