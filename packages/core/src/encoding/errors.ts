import { HansaError } from "../errors.js";

export const EncodingErrorCode = {
  /** Input longer than the limit given to `decode`. */
  OVERSIZE: "ENCODING_OVERSIZE",
  /** Bytes that are not well-formed CBOR of the subset Hansa accepts. */
  MALFORMED: "ENCODING_MALFORMED",
  /** Bytes left over after the value. */
  TRAILING_BYTES: "ENCODING_TRAILING_BYTES",
  /** Valid CBOR that is not the one canonical encoding of its value. */
  NON_CANONICAL: "ENCODING_NON_CANONICAL",
  /** A value of the wrong type or size, a missing field or an unknown (extra) field. */
  SCHEMA: "ENCODING_SCHEMA",
} as const;

export type EncodingErrorType =
  | { code: typeof EncodingErrorCode.OVERSIZE; size: number; limit: number }
  | { code: typeof EncodingErrorCode.MALFORMED }
  | { code: typeof EncodingErrorCode.TRAILING_BYTES; trailing: number }
  | { code: typeof EncodingErrorCode.NON_CANONICAL }
  | { code: typeof EncodingErrorCode.SCHEMA; path: string };

export class EncodingError extends HansaError<EncodingErrorType> {
  constructor(type: EncodingErrorType, message: string) {
    super(type, message);
    this.name = "EncodingError";
  }
}

export function schemaError(path: string, expected: string): EncodingError {
  return new EncodingError({ code: EncodingErrorCode.SCHEMA, path }, `${path}: expected ${expected}`);
}
