// The ledger: Hansa's one built-in application, executed identically by every validator.

export { type CheckTransactionOptions, checkTransaction } from "./admission.js";
export { EMPTY_STATE_ROOT, type StateProof, verifyStateProof } from "./commitment.js";
export {
  MAX_DESCRIPTION_BYTES,
  MAX_HISTORY_PAGE,
  MAX_MEMBER_GRANTS,
  MAX_ORG_GRANTS,
  MAX_PENDING_PROPOSALS,
  MAX_RECORD_KEY_BYTES,
  MAX_RECORD_VALUE_BYTES,
  NAMESPACE_PATTERN,
  PROPOSAL_TTL_BLOCKS,
  VALIDATOR_UPDATE_DELAY,
} from "./constants.js";
export { checkEnvelope, checkSignature } from "./envelope.js";
export type { LedgerErrorCodeValue, LedgerErrorType } from "./errors.js";
export { isLedgerError, LedgerError, LedgerErrorCode } from "./errors.js";
export type { BlockInput, BlockResult, BlockTx, ValidatorUpdate } from "./execute.js";
export { executeBlock } from "./execute.js";
export { GENESIS_VALIDATORS_FROM, genesisState } from "./genesis.js";
export { isCommittedKey, KeyTag, stateKeys } from "./keys.js";
export type { AnyPayload, PayloadOf, TxKind } from "./payloads.js";
export { buildPayload, decodePayload, isTxKind, PayloadCodecs, TX_KINDS } from "./payloads.js";
export type { AccountInfo, HistoryPage, HistoryQuery, RecordProof } from "./queries.js";
export {
  decodeRecordEntry,
  getAccount,
  getHistory,
  getNamespace,
  getOrganization,
  getProposal,
  getRecord,
  ledgerMeta,
  nextNonce,
  pendingProposals,
  proveRecord,
  validatorsAt,
  verifyRecordProof,
} from "./queries.js";
export type { ProposalResult, RecordWriteResult } from "./results.js";
export { decodeProposalResult, decodeRecordWriteResult } from "./results.js";
export type {
  LedgerMeta,
  MemberGrant,
  Membership,
  NamespaceEntry,
  OrgEntry,
  Proposal,
  RecordEntry,
  RecordVersion,
  ValidatorOp,
} from "./schema.js";
export type { StateReader, StateWrite } from "./state.js";
export { MemoryState } from "./state.js";
export { applyValidatorChange, toleratedFailures, type ValidatorChange } from "./validator-change.js";
