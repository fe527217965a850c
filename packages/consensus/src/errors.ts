import { HansaError } from "@hansa/core";

export type ConsensusErrorType =
  | { code: "CONSENSUS_HEIGHT_REGRESSION"; height: number; current: number }
  | { code: "CONSENSUS_BAD_OPTIONS"; field: string };

/** Misuse by the host. Bad network input is never an error: it is dropped. */
export class ConsensusError extends HansaError<ConsensusErrorType> {
  constructor(type: ConsensusErrorType, message: string) {
    super(type, message);
    this.name = "ConsensusError";
  }
}
