import type { TxContext } from "../context.js";
import type { AnyPayload, PayloadOf, TxKind } from "../payloads.js";
import { governancePropose, governanceVote } from "./governance.js";
import { memberAdd, memberRemove, memberSetRoles } from "./membership.js";
import { namespaceCreate, namespaceGrant, namespaceRevoke } from "./namespaces.js";
import { recordDelete, recordPut } from "./records.js";

type Handler<K extends TxKind> = (ctx: TxContext, body: PayloadOf<K>) => Promise<Uint8Array | undefined>;

/** One handler per kind; the mapped type makes a missing kind a compile error. */
const HANDLERS: { [K in TxKind]: Handler<K> } = {
  "member.add": memberAdd,
  "member.remove": memberRemove,
  "member.set_roles": memberSetRoles,
  "namespace.create": namespaceCreate,
  "namespace.grant": namespaceGrant,
  "namespace.revoke": namespaceRevoke,
  "record.put": recordPut,
  "record.delete": recordDelete,
  "governance.propose": governancePropose,
  "governance.vote": governanceVote,
};

/** Runs a decoded payload; returns the receipt's result bytes. Throws LedgerError when the transaction fails. */
export async function runPayload(ctx: TxContext, p: AnyPayload): Promise<Uint8Array> {
  const handler = HANDLERS[p.kind] as Handler<TxKind>;
  return (await handler(ctx, p.body as never)) ?? new Uint8Array(0);
}
