import { decode, type Role, type Validator, ValidatorSet } from "@hansa/core";
import { proveState, type StateProof, verifyStateProof } from "./commitment.js";
import { MAX_HISTORY_PAGE } from "./constants.js";
import { LedgerErrorCode, ledgerError } from "./errors.js";
import { stateKeys } from "./keys.js";
import {
  type LedgerMeta,
  type NamespaceEntry,
  type OrgEntry,
  type Proposal,
  type RecordEntry,
  RecordEntryCodec,
  type RecordVersion,
} from "./schema.js";
import type { StateReader } from "./state.js";
import { LedgerReader } from "./store.js";

/** Read-only queries over the committed state, for the RPC layer and the CLI. */

export interface AccountInfo {
  publicKey: Uint8Array;
  /** The nonce its next transaction must carry. */
  nonce: number;
  /** Null once removed (the account and its nonce remain). */
  organization: string | null;
  roles: Role[];
  /** Power in the validator set of the next height; 0 when not a validator. */
  validatorPower: number;
}

export async function ledgerMeta(state: StateReader): Promise<LedgerMeta | undefined> {
  return new LedgerReader(state).meta();
}

export async function getAccount(state: StateReader, publicKey: Uint8Array): Promise<AccountInfo | undefined> {
  const r = new LedgerReader(state);
  const account = await r.account(publicKey);
  if (account === undefined) return undefined;
  const membership = await r.membership(publicKey);
  const meta = await r.meta();
  const validators = await r.validatorsAt((meta?.height ?? 0) + 1);
  return {
    publicKey,
    nonce: account.nonce,
    organization: membership?.org ?? null,
    roles: membership?.roles ?? [],
    validatorPower: validators ? new ValidatorSet(validators).powerOf(publicKey) : 0,
  };
}

/** The nonce the sender's next transaction must carry per committed state; 0 for a key without an account. */
export async function nextNonce(state: StateReader, publicKey: Uint8Array): Promise<number> {
  return (await new LedgerReader(state).account(publicKey))?.nonce ?? 0;
}

export function getOrganization(state: StateReader, id: string): Promise<OrgEntry | undefined> {
  return new LedgerReader(state).org(id);
}

export function getNamespace(state: StateReader, name: string): Promise<NamespaceEntry | undefined> {
  return new LedgerReader(state).namespace(name);
}

/** The current entry of a record (value null once deleted), or undefined if it was never written. */
export function getRecord(state: StateReader, namespace: string, key: string): Promise<RecordEntry | undefined> {
  return new LedgerReader(state).record(namespace, key);
}

export interface RecordProof {
  stateRoot: Uint8Array;
  /** Height whose header carries `stateRoot`. */
  height: number;
  namespace: string;
  key: string;
  /** The encoded RecordEntry (decode with decodeRecordEntry), or null when the key was never written. */
  value: Uint8Array | null;
  proof: StateProof;
}

/** The record's entry at the last executed height with a proof against that height's state root. */
export async function proveRecord(state: StateReader, namespace: string, key: string): Promise<RecordProof> {
  const meta = await ledgerMeta(state);
  if (meta === undefined) throw ledgerError(LedgerErrorCode.NOT_FOUND, "state has no genesis");
  const stateKey = stateKeys.record(namespace, key);
  const value = state.get(stateKey) ?? null;
  const proof = await proveState(state, meta.stateRoot, stateKey);
  return { stateRoot: meta.stateRoot, height: meta.height, namespace, key, value, proof };
}

/** Checks a RecordProof: anyone holding a trusted header's state root can run this. */
export function verifyRecordProof(p: Omit<RecordProof, "height">): boolean {
  return verifyStateProof(p.stateRoot, stateKeys.record(p.namespace, p.key), p.value, p.proof);
}

export function decodeRecordEntry(data: Uint8Array): RecordEntry {
  return decode(RecordEntryCodec, data);
}

export interface HistoryQuery {
  namespace: string;
  key: string;
  /** "newest" (default) pages from the latest version down; "oldest" from version 0 up. */
  order?: "newest" | "oldest";
  /** Version to start at, inclusive: the `nextCursor` of the previous page. */
  cursor?: number;
  /** Page size, 1 to MAX_HISTORY_PAGE; default 20. */
  limit?: number;
}

export interface HistoryPage {
  /** Number of versions the key has. */
  total: number;
  versions: RecordVersion[];
  /** Cursor of the next page, or null when this page reaches the end. */
  nextCursor: number | null;
}

/**
 * A page of a key's history. Versions are stored under (namespace, key, version), so a page costs one read
 * per version and never a scan.
 */
export async function getHistory(state: StateReader, q: HistoryQuery): Promise<HistoryPage> {
  const r = new LedgerReader(state);
  const limit = q.limit ?? 20;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
    throw ledgerError(LedgerErrorCode.BAD_QUERY, `limit must be 1 to ${MAX_HISTORY_PAGE}`);
  }
  const total = (await r.record(q.namespace, q.key))?.versions ?? 0;
  const newest = (q.order ?? "newest") === "newest";
  if (total === 0) return { total, versions: [], nextCursor: null };
  const start = q.cursor ?? (newest ? total - 1 : 0);
  if (!Number.isSafeInteger(start) || start < 0 || start >= total) {
    throw ledgerError(LedgerErrorCode.BAD_QUERY, `cursor must be 0 to ${total - 1}`);
  }
  const step = newest ? -1 : 1;
  const versions: RecordVersion[] = [];
  let v = start;
  for (; v >= 0 && v < total && versions.length < limit; v += step) {
    const version = await r.version(q.namespace, q.key, v);
    if (version === undefined) throw new Error(`history of ${q.namespace}/${q.key} lacks version ${v}`);
    versions.push(version);
  }
  return { total, versions, nextCursor: v >= 0 && v < total ? v : null };
}

export async function validatorsAt(state: StateReader, height: number): Promise<Validator[] | undefined> {
  return new LedgerReader(state).validatorsAt(height);
}

export async function getProposal(state: StateReader, id: number): Promise<Proposal | undefined> {
  return new LedgerReader(state).proposal(id);
}

/** Proposals still open for votes at the next height, oldest first. */
export async function pendingProposals(state: StateReader): Promise<Proposal[]> {
  const r = new LedgerReader(state);
  const next = ((await r.meta())?.height ?? 0) + 1;
  const out: Proposal[] = [];
  for (const id of await r.pendingProposals()) {
    const p = await r.proposal(id);
    if (p !== undefined && p.status === "pending" && p.expiresHeight >= next) out.push(p);
  }
  return out;
}
