import { equalBytes } from "@hansa/core";
import { hasRole } from "./context.js";
import type { Membership, NamespaceEntry } from "./schema.js";

/**
 * Write access to a namespace: a writer of the owning organization or of a granted organization, or a
 * member granted individually (whatever its roles) while it stays in the organization it had at grant time.
 */
export function canWrite(ns: NamespaceEntry, member: Membership, publicKey: Uint8Array): boolean {
  if (hasRole(member, "writer") && (member.org === ns.owner || ns.orgGrants.includes(member.org))) return true;
  return ns.memberGrants.some((g) => g.org === member.org && equalBytes(g.publicKey, publicKey));
}
