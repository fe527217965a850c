/** Hard limits of the wire format. Consensus parameters in genesis may only tighten them. */

/** Largest encoded transaction (a 64 KiB record value plus the envelope). */
export const MAX_TRANSACTION_BYTES = 72 * 1024;
/** Largest transaction payload (the kind-specific body inside the envelope). */
export const MAX_PAYLOAD_BYTES = 68 * 1024;
/** Largest encoded block. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Most transactions in one block. */
export const MAX_BLOCK_TXS = 100_000;
/** Most pieces of evidence in one block. */
export const MAX_BLOCK_EVIDENCE = 64;
/** Most validators in a set. */
export const MAX_VALIDATORS = 256;
/** Largest total voting power; keeps `power * 3` exact in a double. */
export const MAX_TOTAL_POWER = 2 ** 50;
/** Chain ids are short, lowercase, and safe in file names and URLs. */
export const CHAIN_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
