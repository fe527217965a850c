import { HansaError } from "@hansa/core";

/**
 * Every way a ledger transaction or block can fail. The codes are stable: receipts carry them, and the RPC
 * layer maps them to JSON-RPC errors, so a code is never renamed once released.
 */
export const LedgerErrorCode = {
  // Envelope: the transaction as a whole.
  WRONG_CHAIN: "LEDGER_WRONG_CHAIN",
  BAD_SIGNATURE: "LEDGER_BAD_SIGNATURE",
  BAD_ENVELOPE: "LEDGER_BAD_ENVELOPE",
  NONCE_STALE: "LEDGER_NONCE_STALE",
  NONCE_GAP: "LEDGER_NONCE_GAP",
  UNKNOWN_ACCOUNT: "LEDGER_UNKNOWN_ACCOUNT",
  // Payload: what the transaction asks for.
  UNKNOWN_KIND: "LEDGER_UNKNOWN_KIND",
  BAD_PAYLOAD: "LEDGER_BAD_PAYLOAD",
  VALUE_TOO_LARGE: "LEDGER_VALUE_TOO_LARGE",
  // Authority.
  NOT_MEMBER: "LEDGER_NOT_MEMBER",
  NOT_VALIDATOR: "LEDGER_NOT_VALIDATOR",
  PERMISSION_DENIED: "LEDGER_PERMISSION_DENIED",
  // Membership.
  UNKNOWN_ORG: "LEDGER_UNKNOWN_ORG",
  UNKNOWN_MEMBER: "LEDGER_UNKNOWN_MEMBER",
  MEMBER_EXISTS: "LEDGER_MEMBER_EXISTS",
  LAST_ADMIN: "LEDGER_LAST_ADMIN",
  // Namespaces and records.
  NAMESPACE_EXISTS: "LEDGER_NAMESPACE_EXISTS",
  UNKNOWN_NAMESPACE: "LEDGER_UNKNOWN_NAMESPACE",
  GRANT_EXISTS: "LEDGER_GRANT_EXISTS",
  GRANT_NOT_FOUND: "LEDGER_GRANT_NOT_FOUND",
  TOO_MANY_GRANTS: "LEDGER_TOO_MANY_GRANTS",
  RECORD_NOT_FOUND: "LEDGER_RECORD_NOT_FOUND",
  // Governance.
  PROPOSAL_NOT_FOUND: "LEDGER_PROPOSAL_NOT_FOUND",
  PROPOSAL_CLOSED: "LEDGER_PROPOSAL_CLOSED",
  PROPOSAL_EXPIRED: "LEDGER_PROPOSAL_EXPIRED",
  ALREADY_VOTED: "LEDGER_ALREADY_VOTED",
  TOO_MANY_PROPOSALS: "LEDGER_TOO_MANY_PROPOSALS",
  INVALID_VALIDATOR_CHANGE: "LEDGER_INVALID_VALIDATOR_CHANGE",
  QUORUM_AT_RISK: "LEDGER_QUORUM_AT_RISK",
  FAULT_TOLERANCE_REDUCED: "LEDGER_FAULT_TOLERANCE_REDUCED",
  // Whole blocks and the node's use of the ledger.
  BLOCK_INVALID: "LEDGER_BLOCK_INVALID",
  NOT_FOUND: "LEDGER_NOT_FOUND",
  BAD_QUERY: "LEDGER_BAD_QUERY",
} as const;

export type LedgerErrorCodeValue = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

type WithMeta =
  | typeof LedgerErrorCode.WRONG_CHAIN
  | typeof LedgerErrorCode.NONCE_STALE
  | typeof LedgerErrorCode.NONCE_GAP
  | typeof LedgerErrorCode.VALUE_TOO_LARGE
  | typeof LedgerErrorCode.BLOCK_INVALID;

export type LedgerErrorType =
  | { code: typeof LedgerErrorCode.WRONG_CHAIN; expected: string; got: string }
  | { code: typeof LedgerErrorCode.NONCE_STALE | typeof LedgerErrorCode.NONCE_GAP; expected: number; got: number }
  | { code: typeof LedgerErrorCode.VALUE_TOO_LARGE; size: number; limit: number }
  | {
      code: typeof LedgerErrorCode.BLOCK_INVALID;
      /** Index of the offending transaction in the block, or -1 when the block as a whole is at fault. */
      txIndex: number;
      /** The code of the underlying fault, e.g. LEDGER_NONCE_GAP. */
      cause: LedgerErrorCodeValue;
    }
  | { code: Exclude<LedgerErrorCodeValue, WithMeta> };

export class LedgerError extends HansaError<LedgerErrorType> {
  constructor(type: LedgerErrorType, message: string) {
    super(type, message);
    this.name = "LedgerError";
  }
}

export function isLedgerError(err: unknown): err is LedgerError {
  return err instanceof LedgerError;
}

/** Shorthand for the codes that carry no metadata. */
export function ledgerError(code: Exclude<LedgerErrorCodeValue, WithMeta>, message: string): LedgerError {
  return new LedgerError({ code }, message);
}

export function blockInvalid(txIndex: number, cause: LedgerErrorCodeValue, message: string): LedgerError {
  const where = txIndex < 0 ? "block" : `transaction ${txIndex}`;
  return new LedgerError(
    { code: LedgerErrorCode.BLOCK_INVALID, txIndex, cause },
    `invalid block: ${where}: ${message}`,
  );
}
