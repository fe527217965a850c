import { bytesTo0x, compareBytes } from "@hansa/core";
import { MAX_MEMBER_GRANTS, MAX_ORG_GRANTS } from "../constants.js";
import { requireAdmin, requireMember, type TxContext } from "../context.js";
import { LedgerErrorCode, ledgerError } from "../errors.js";
import type { PayloadOf } from "../payloads.js";
import type { NamespaceEntry } from "../schema.js";

/** Namespaces group records; the admins of the owning organization decide who else may write to them. */

export async function namespaceCreate(ctx: TxContext, p: PayloadOf<"namespace.create">): Promise<undefined> {
  const admin = await requireAdmin(ctx);
  if ((await ctx.store.namespace(p.name)) !== undefined) {
    throw ledgerError(LedgerErrorCode.NAMESPACE_EXISTS, `namespace ${p.name} already exists`);
  }
  ctx.store.putNamespace({
    name: p.name,
    description: p.description,
    owner: admin.org,
    createdHeight: ctx.height,
    orgGrants: [],
    memberGrants: [],
  });
  return undefined;
}

/** The namespace, if the sender administers its owner. Membership is checked first so outsiders learn nothing. */
async function managedNamespace(ctx: TxContext, name: string): Promise<NamespaceEntry> {
  await requireMember(ctx);
  const ns = await ctx.store.namespace(name);
  if (ns === undefined) throw ledgerError(LedgerErrorCode.UNKNOWN_NAMESPACE, `namespace ${name} does not exist`);
  await requireAdmin(ctx, ns.owner);
  return ns;
}

export async function namespaceGrant(ctx: TxContext, p: PayloadOf<"namespace.grant">): Promise<undefined> {
  const ns = await managedNamespace(ctx, p.namespace);
  if (p.org !== null) {
    const org = p.org;
    if ((await ctx.store.org(org)) === undefined)
      throw ledgerError(LedgerErrorCode.UNKNOWN_ORG, `no organization ${org}`);
    if (org === ns.owner || ns.orgGrants.includes(org)) {
      throw ledgerError(LedgerErrorCode.GRANT_EXISTS, `${org} can already write to ${ns.name}`);
    }
    if (ns.orgGrants.length >= MAX_ORG_GRANTS) {
      throw ledgerError(
        LedgerErrorCode.TOO_MANY_GRANTS,
        `${ns.name} already has ${MAX_ORG_GRANTS} organization grants`,
      );
    }
    // Code-unit order of ASCII ids: the same on every node, unlike localeCompare.
    const orgGrants = [...ns.orgGrants, org].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    ctx.store.putNamespace({ ...ns, orgGrants });
    return undefined;
  }
  const key = p.member as Uint8Array;
  const member = await ctx.store.membership(key);
  if (member === undefined) throw ledgerError(LedgerErrorCode.UNKNOWN_MEMBER, `${bytesTo0x(key)} is not a member`);
  if (ns.memberGrants.some((g) => compareBytes(g.publicKey, key) === 0)) {
    throw ledgerError(LedgerErrorCode.GRANT_EXISTS, `${bytesTo0x(key)} already has a grant on ${ns.name}`);
  }
  if (ns.memberGrants.length >= MAX_MEMBER_GRANTS) {
    throw ledgerError(LedgerErrorCode.TOO_MANY_GRANTS, `${ns.name} already has ${MAX_MEMBER_GRANTS} member grants`);
  }
  const memberGrants = [...ns.memberGrants, { publicKey: key, org: member.org }].sort((a, b) =>
    compareBytes(a.publicKey, b.publicKey),
  );
  ctx.store.putNamespace({ ...ns, memberGrants });
  return undefined;
}

export async function namespaceRevoke(ctx: TxContext, p: PayloadOf<"namespace.revoke">): Promise<undefined> {
  const ns = await managedNamespace(ctx, p.namespace);
  if (p.org !== null) {
    const org = p.org;
    if (!ns.orgGrants.includes(org)) {
      throw ledgerError(LedgerErrorCode.GRANT_NOT_FOUND, `${org} has no grant on ${ns.name}`);
    }
    ctx.store.putNamespace({ ...ns, orgGrants: ns.orgGrants.filter((o) => o !== org) });
    return undefined;
  }
  const key = p.member as Uint8Array;
  const memberGrants = ns.memberGrants.filter((g) => compareBytes(g.publicKey, key) !== 0);
  if (memberGrants.length === ns.memberGrants.length) {
    throw ledgerError(LedgerErrorCode.GRANT_NOT_FOUND, `${bytesTo0x(key)} has no grant on ${ns.name}`);
  }
  ctx.store.putNamespace({ ...ns, memberGrants });
  return undefined;
}
