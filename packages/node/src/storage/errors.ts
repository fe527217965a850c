import { HansaError } from "@hansa/core";

export type StorageErrorType =
  | { code: "STORAGE_NOT_INITIALIZED" }
  | { code: "STORAGE_GENESIS_MISMATCH"; field: "chainId" | "genesisHash" }
  | { code: "STORAGE_HEIGHT_MISMATCH"; expected: number; got: number }
  | { code: "STORAGE_BAD_INPUT"; field: string }
  | { code: "STORAGE_CORRUPT"; key: string }
  | { code: "STORAGE_FORMAT"; found: number; expected: number }
  | { code: "STORAGE_CLOSED" };

export class StorageError extends HansaError<StorageErrorType> {
  constructor(type: StorageErrorType, message: string) {
    super(type, message);
    this.name = "StorageError";
  }
}
