/** Limits and delays of the ledger. Changing any of them changes consensus: every node must agree. */

/** Largest record value. Leaves room for the envelope within MAX_PAYLOAD_BYTES of @hansa/core. */
export const MAX_RECORD_VALUE_BYTES = 64 * 1024;
/** Longest record key (UTF-8 bytes). */
export const MAX_RECORD_KEY_BYTES = 256;
/** Namespace names: short, lowercase, safe in URLs (`shipments`, `letters-of-credit`). */
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MAX_DESCRIPTION_BYTES = 256;
/** Grants are kept inside the namespace entry, so a write checks access with one read; this bounds it. */
export const MAX_ORG_GRANTS = 256;
export const MAX_MEMBER_GRANTS = 1024;

/**
 * A validator-set change decided in block H applies from block H + VALIDATOR_UPDATE_DELAY. Block H + 1 may
 * already be under way when H commits (its proposer is chosen from the set it was started with), so the
 * first height that can safely switch is H + 2, as in CometBFT.
 */
export const VALIDATOR_UPDATE_DELAY = 2;
/** A governance proposal that has not passed within this many blocks of its creation expires. */
export const PROPOSAL_TTL_BLOCKS = 10_000;
/** Most proposals pending at once; expired ones are pruned when a new one needs room. */
export const MAX_PENDING_PROPOSALS = 64;

/** Largest page of key history one query returns. */
export const MAX_HISTORY_PAGE = 100;
