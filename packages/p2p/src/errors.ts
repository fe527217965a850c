import { HansaError } from "@hansa/core";

/** What went wrong in the network layer; callers branch on `code`. */
export type P2pErrorType =
  | { code: "P2P_NOT_STARTED" }
  | { code: "P2P_BAD_OPTIONS"; field: string }
  | { code: "P2P_SYNC_NO_PEER"; from: number; to: number }
  | { code: "P2P_SYNC_FAILED"; from: number; to: number; attempts: number };

export class P2pError extends HansaError<P2pErrorType> {
  constructor(type: P2pErrorType, message: string) {
    super(type, message);
    this.name = "P2pError";
  }
}
