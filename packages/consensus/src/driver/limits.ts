/** Rounds above ours whose messages are stored; higher rounds only raise a validator's round mark. */
export const FUTURE_ROUNDS = 4;
/** Heights above ours whose messages are kept until the host starts that height. */
export const FUTURE_HEIGHTS = 2;
/** Most buffered messages for future heights, whatever their senders claim to be. */
export const MAX_BUFFERED = 4096;
