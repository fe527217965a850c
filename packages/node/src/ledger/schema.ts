import {
  bool,
  bytes,
  CHAIN_ID_PATTERN,
  type Infer,
  list,
  MAX_VALIDATORS,
  nullable,
  ORG_ID_PATTERN,
  oneOf,
  ROLES,
  struct,
  text,
  uint,
} from "@hansa/core";
import {
  MAX_DESCRIPTION_BYTES,
  MAX_MEMBER_GRANTS,
  MAX_ORG_GRANTS,
  MAX_PENDING_PROPOSALS,
  MAX_RECORD_KEY_BYTES,
  MAX_RECORD_VALUE_BYTES,
  NAMESPACE_PATTERN,
} from "./constants.js";

/** Codecs of the values the ledger stores under the keys of keys.ts. All canonical CBOR. */

export const orgId = () => text({ max: 32, pattern: ORG_ID_PATTERN });
export const namespaceName = () => text({ max: 64, pattern: NAMESPACE_PATTERN });
export const recordKey = () => text({ max: MAX_RECORD_KEY_BYTES });
export const roleList = () => list(oneOf(ROLES), { max: ROLES.length });

export const AccountCodec = struct("Account", {
  /** The nonce the account's next transaction must carry. */
  nonce: uint(),
});

export const MembershipCodec = struct("Membership", {
  org: orgId(),
  /** In the order of ROLES, without repeats. */
  roles: roleList(),
});

export const OrgEntryCodec = struct("OrgEntry", {
  id: orgId(),
  name: text({ max: 128 }),
  /** Members holding the admin role; kept so the last admin can never be removed. */
  admins: uint(),
});

export const MemberGrantCodec = struct("MemberGrant", { publicKey: bytes(32), org: orgId() });

export const NamespaceEntryCodec = struct("NamespaceEntry", {
  name: namespaceName(),
  description: text({ max: MAX_DESCRIPTION_BYTES }),
  /** The organization whose admins manage the namespace and whose writers may write to it. */
  owner: orgId(),
  createdHeight: uint(),
  /** Organizations whose writers may write, sorted. */
  orgGrants: list(orgId(), { max: MAX_ORG_GRANTS }),
  /**
   * Single members who may write whatever their roles, sorted by key. A grant names the member's
   * organization too and counts only while the key is a member of it, so a removed key that some other
   * organization later adds does not inherit the grant.
   */
  memberGrants: list(MemberGrantCodec, { max: MAX_MEMBER_GRANTS }),
});

export const RecordEntryCodec = struct("RecordEntry", {
  namespace: namespaceName(),
  key: recordKey(),
  /** Number of versions written so far; the latest is `versions - 1`. */
  versions: uint(),
  /** The current value; null once the record is deleted (the entry stays as a tombstone). */
  value: nullable(bytes({ max: MAX_RECORD_VALUE_BYTES })),
  height: uint(),
  time: uint(),
  txHash: bytes(32),
  writer: bytes(32),
});

export const RecordVersionCodec = struct("RecordVersion", {
  version: uint(),
  height: uint(),
  time: uint(),
  txHash: bytes(32),
  writer: bytes(32),
  /** Null for a delete. */
  value: nullable(bytes({ max: MAX_RECORD_VALUE_BYTES })),
});

export const VALIDATOR_OPS = ["add", "remove", "set_power"] as const;
export const PROPOSAL_STATUSES = ["pending", "passed"] as const;

export const ProposalCodec = struct("Proposal", {
  id: uint(),
  proposer: bytes(32),
  op: oneOf(VALIDATOR_OPS),
  /** Only for `add`; empty otherwise. */
  name: text({ max: 64 }),
  publicKey: bytes(32),
  /** 0 for `remove`. */
  power: uint(),
  /** Accepts a change that lowers fault tolerance or puts quorum at risk. */
  force: bool(),
  createdHeight: uint(),
  /** Last height at which a vote can still pass it. */
  expiresHeight: uint(),
  /** Validators who voted for it, in the order they voted. */
  votes: list(bytes(32), { max: MAX_VALIDATORS }),
  status: oneOf(PROPOSAL_STATUSES),
  /** Set once passed: the first height of the new validator set. */
  effectiveHeight: nullable(uint()),
});

export const HeightListCodec = list(uint(), { max: 1_000_000 });
export const PendingProposalsCodec = list(uint(), { max: MAX_PENDING_PROPOSALS });
export const CounterCodec = uint();

export const MetaCodec = struct("LedgerMeta", {
  chainId: text({ max: 64, pattern: CHAIN_ID_PATTERN }),
  /** Height of the last executed block; 0 after genesis. */
  height: uint(),
  time: uint(),
  stateRoot: bytes(32),
});

export type Account = Infer<typeof AccountCodec>;
export type Membership = Infer<typeof MembershipCodec>;
export type OrgEntry = Infer<typeof OrgEntryCodec>;
export type MemberGrant = Infer<typeof MemberGrantCodec>;
export type NamespaceEntry = Infer<typeof NamespaceEntryCodec>;
export type RecordEntry = Infer<typeof RecordEntryCodec>;
export type RecordVersion = Infer<typeof RecordVersionCodec>;
export type Proposal = Infer<typeof ProposalCodec>;
export type ValidatorOp = (typeof VALIDATOR_OPS)[number];
export type LedgerMeta = Infer<typeof MetaCodec>;
