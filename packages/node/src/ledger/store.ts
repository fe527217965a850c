import { type Codec, encode, type Validator, ValidatorSetCodec } from "@hansa/core";
import { stateKeys } from "./keys.js";
import {
  type Account,
  AccountCodec,
  CounterCodec,
  HeightListCodec,
  type LedgerMeta,
  type Membership,
  MembershipCodec,
  MetaCodec,
  type NamespaceEntry,
  NamespaceEntryCodec,
  type OrgEntry,
  OrgEntryCodec,
  PendingProposalsCodec,
  type Proposal,
  ProposalCodec,
  type RecordEntry,
  RecordEntryCodec,
  type RecordVersion,
  RecordVersionCodec,
} from "./schema.js";
import { decodeShared } from "./shared-values.js";
import type { Overlay, StateReader } from "./state.js";

/** Typed reads over any StateReader: the committed state for queries, an overlay during execution. */
export class LedgerReader {
  constructor(protected readonly state: StateReader) {}

  protected async read<T>(codec: Codec<T>, key: Uint8Array): Promise<T | undefined> {
    const raw = this.state.get(key);
    return raw === undefined ? undefined : decodeShared(codec, raw);
  }

  account(publicKey: Uint8Array): Promise<Account | undefined> {
    return this.read(AccountCodec, stateKeys.account(publicKey));
  }
  membership(publicKey: Uint8Array): Promise<Membership | undefined> {
    return this.read(MembershipCodec, stateKeys.member(publicKey));
  }
  org(id: string): Promise<OrgEntry | undefined> {
    return this.read(OrgEntryCodec, stateKeys.org(id));
  }
  namespace(name: string): Promise<NamespaceEntry | undefined> {
    return this.read(NamespaceEntryCodec, stateKeys.namespace(name));
  }
  record(namespace: string, key: string): Promise<RecordEntry | undefined> {
    return this.read(RecordEntryCodec, stateKeys.record(namespace, key));
  }
  version(namespace: string, key: string, version: number): Promise<RecordVersion | undefined> {
    return this.read(RecordVersionCodec, stateKeys.version(namespace, key, version));
  }
  async validatorIndex(): Promise<number[]> {
    return (await this.read(HeightListCodec, stateKeys.validatorIndex())) ?? [];
  }
  validatorSet(fromHeight: number): Promise<Validator[] | undefined> {
    return this.read(ValidatorSetCodec, stateKeys.validatorSet(fromHeight));
  }
  proposal(id: number): Promise<Proposal | undefined> {
    return this.read(ProposalCodec, stateKeys.proposal(id));
  }
  async pendingProposals(): Promise<number[]> {
    return (await this.read(PendingProposalsCodec, stateKeys.pendingProposals())) ?? [];
  }
  async nextProposalId(): Promise<number> {
    return (await this.read(CounterCodec, stateKeys.nextProposalId())) ?? 1;
  }
  meta(): Promise<LedgerMeta | undefined> {
    return this.read(MetaCodec, stateKeys.meta());
  }

  /** The validator set in force at `height`: the last set whose first height is at or below it. */
  async validatorsAt(height: number): Promise<Validator[] | undefined> {
    const index = await this.validatorIndex();
    let from: number | undefined;
    for (const h of index) if (h <= height) from = h;
    return from === undefined ? undefined : this.validatorSet(from);
  }

  /** The set after every change decided so far, including those not yet in force. */
  async latestValidators(): Promise<{ fromHeight: number; validators: Validator[] } | undefined> {
    const index = await this.validatorIndex();
    const fromHeight = index[index.length - 1];
    if (fromHeight === undefined) return undefined;
    const validators = await this.validatorSet(fromHeight);
    return validators && { fromHeight, validators };
  }
}

/** Typed reads and writes over an overlay, used while executing. */
export class LedgerStore extends LedgerReader {
  constructor(readonly overlay: Overlay) {
    super(overlay);
  }

  private write<T>(codec: Codec<T>, key: Uint8Array, value: T): void {
    this.overlay.put(key, encode(codec, value));
  }

  putAccount(publicKey: Uint8Array, account: Account): void {
    this.write(AccountCodec, stateKeys.account(publicKey), account);
  }
  putMembership(publicKey: Uint8Array, membership: Membership): void {
    this.write(MembershipCodec, stateKeys.member(publicKey), membership);
  }
  deleteMembership(publicKey: Uint8Array): void {
    this.overlay.delete(stateKeys.member(publicKey));
  }
  putOrg(org: OrgEntry): void {
    this.write(OrgEntryCodec, stateKeys.org(org.id), org);
  }
  putNamespace(ns: NamespaceEntry): void {
    this.write(NamespaceEntryCodec, stateKeys.namespace(ns.name), ns);
  }
  putRecord(entry: RecordEntry): void {
    this.write(RecordEntryCodec, stateKeys.record(entry.namespace, entry.key), entry);
  }
  putVersion(namespace: string, key: string, version: RecordVersion): void {
    this.write(RecordVersionCodec, stateKeys.version(namespace, key, version.version), version);
  }
  putValidatorIndex(heights: number[]): void {
    this.write(HeightListCodec, stateKeys.validatorIndex(), heights);
  }
  putValidatorSet(fromHeight: number, validators: Validator[]): void {
    this.write(ValidatorSetCodec, stateKeys.validatorSet(fromHeight), validators);
  }
  putProposal(proposal: Proposal): void {
    this.write(ProposalCodec, stateKeys.proposal(proposal.id), proposal);
  }
  putPendingProposals(ids: number[]): void {
    this.write(PendingProposalsCodec, stateKeys.pendingProposals(), ids);
  }
  putNextProposalId(id: number): void {
    this.write(CounterCodec, stateKeys.nextProposalId(), id);
  }
  putMeta(meta: LedgerMeta): void {
    this.write(MetaCodec, stateKeys.meta(), meta);
  }
}
