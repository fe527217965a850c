import { HansaError } from "../errors.js";

export const SmtErrorCode = {
  /** The store has no node under a hash the tree reached: a pruned or incomplete store, or a wrong root. */
  MISSING_NODE: "SMT_MISSING_NODE",
  /** The store returned bytes that are not a node, or a path deeper than 256 levels. */
  CORRUPT_NODE: "SMT_CORRUPT_NODE",
} as const;

export type SmtErrorType =
  | { code: typeof SmtErrorCode.MISSING_NODE; hash: string }
  | { code: typeof SmtErrorCode.CORRUPT_NODE; hash: string; reason: string };

export class SmtError extends HansaError<SmtErrorType> {
  constructor(type: SmtErrorType, message: string) {
    super(type, message);
    this.name = "SmtError";
  }
}
