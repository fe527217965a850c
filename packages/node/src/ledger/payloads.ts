import {
  bool,
  bytes,
  type Codec,
  decode,
  encode,
  type Infer,
  MAX_PAYLOAD_BYTES,
  nullable,
  oneOf,
  struct,
  text,
  uint,
} from "@hansa/core";
import { MAX_DESCRIPTION_BYTES, MAX_RECORD_VALUE_BYTES } from "./constants.js";
import { LedgerError, LedgerErrorCode, ledgerError } from "./errors.js";
import { namespaceName, orgId, recordKey, roleList, VALIDATOR_OPS } from "./schema.js";

/**
 * The payload of every transaction kind the ledger executes. The envelope of @hansa/core carries the kind as
 * text and the payload as the canonical CBOR of one of these structures.
 */
const grantee = {
  namespace: namespaceName(),
  /** Exactly one of `org` and `member` is set. */
  org: nullable(orgId()),
  member: nullable(bytes(32)),
};

export const PayloadCodecs = {
  "member.add": struct("MemberAdd", { publicKey: bytes(32), roles: roleList() }),
  "member.remove": struct("MemberRemove", { publicKey: bytes(32) }),
  "member.set_roles": struct("MemberSetRoles", { publicKey: bytes(32), roles: roleList() }),
  "namespace.create": struct("NamespaceCreate", {
    name: namespaceName(),
    description: text({ max: MAX_DESCRIPTION_BYTES }),
  }),
  "namespace.grant": struct("NamespaceGrant", grantee),
  "namespace.revoke": struct("NamespaceRevoke", grantee),
  "record.put": struct("RecordPut", {
    namespace: namespaceName(),
    key: recordKey(),
    // Bounded by the envelope here; the record limit is checked separately so it gets its own error code.
    value: bytes({ max: MAX_PAYLOAD_BYTES }),
  }),
  "record.delete": struct("RecordDelete", { namespace: namespaceName(), key: recordKey() }),
  "governance.propose": struct("GovernancePropose", {
    op: oneOf(VALIDATOR_OPS),
    /** The new validator's name for `add`; empty otherwise. */
    name: text({ max: 64 }),
    publicKey: bytes(32),
    /** The new power for `add` and `set_power`; 0 for `remove`. */
    power: uint(),
    /** Accept a change that lowers fault tolerance or puts quorum at risk. */
    force: bool(),
  }),
  "governance.vote": struct("GovernanceVote", { proposalId: uint() }),
} as const;

export type TxKind = keyof typeof PayloadCodecs;
export type PayloadOf<K extends TxKind> = Infer<(typeof PayloadCodecs)[K]>;
export type AnyPayload = { [K in TxKind]: { kind: K; body: PayloadOf<K> } }[TxKind];

export const TX_KINDS = Object.keys(PayloadCodecs) as TxKind[];

export function isTxKind(kind: string): kind is TxKind {
  return Object.hasOwn(PayloadCodecs, kind);
}

/** Checks a payload cannot express in its schema; throws LedgerError. */
function validate(p: AnyPayload): void {
  const bad = (why: string) => ledgerError(LedgerErrorCode.BAD_PAYLOAD, `${p.kind}: ${why}`);
  switch (p.kind) {
    case "member.add":
    case "member.set_roles":
      if (new Set(p.body.roles).size !== p.body.roles.length) throw bad("roles repeat");
      return;
    case "namespace.grant":
    case "namespace.revoke":
      if ((p.body.org === null) === (p.body.member === null)) throw bad("exactly one of org and member must be set");
      return;
    case "record.put":
      if (p.body.key.length === 0) throw bad("key is empty");
      if (p.body.value.length > MAX_RECORD_VALUE_BYTES) {
        throw new LedgerError(
          { code: LedgerErrorCode.VALUE_TOO_LARGE, size: p.body.value.length, limit: MAX_RECORD_VALUE_BYTES },
          `record value of ${p.body.value.length} bytes exceeds the limit of ${MAX_RECORD_VALUE_BYTES}`,
        );
      }
      return;
    case "record.delete":
      if (p.body.key.length === 0) throw bad("key is empty");
      return;
    case "governance.propose": {
      const { op, name, power } = p.body;
      if (op === "add" && (name.length === 0 || power === 0)) throw bad("add needs a name and a positive power");
      if (op === "set_power" && (name.length > 0 || power === 0))
        throw bad("set_power needs a positive power, no name");
      if (op === "remove" && (name.length > 0 || power !== 0)) throw bad("remove takes no name and power 0");
      return;
    }
    default:
      return;
  }
}

/** Decodes and validates the payload of `kind`; throws LEDGER_UNKNOWN_KIND, LEDGER_BAD_PAYLOAD, ... */
export function decodePayload(kind: string, payload: Uint8Array): AnyPayload {
  if (!isTxKind(kind)) throw ledgerError(LedgerErrorCode.UNKNOWN_KIND, `unknown transaction kind "${kind}"`);
  const codec = PayloadCodecs[kind] as Codec<unknown>;
  let body: unknown;
  try {
    body = decode(codec, payload, MAX_PAYLOAD_BYTES);
  } catch (err) {
    throw ledgerError(LedgerErrorCode.BAD_PAYLOAD, `${kind}: ${(err as Error).message}`);
  }
  const p = { kind, body } as AnyPayload;
  validate(p);
  return p;
}

/**
 * Builds the `{kind, payload}` of a transaction for a client to sign, e.g.
 * `buildPayload("record.put", { namespace: "shipments", key: "SHP-1", value })`. Applies the same checks as
 * execution, so a payload that builds also decodes.
 */
export function buildPayload<K extends TxKind>(kind: K, body: PayloadOf<K>): { kind: K; payload: Uint8Array } {
  const codec = PayloadCodecs[kind] as Codec<PayloadOf<K>>;
  let payload: Uint8Array;
  try {
    payload = encode(codec, body);
  } catch (err) {
    throw ledgerError(LedgerErrorCode.BAD_PAYLOAD, `${kind}: ${(err as Error).message}`);
  }
  validate({ kind, body } as AnyPayload);
  return { kind, payload };
}
