export type { Bound, Codec, Infer } from "./codec.js";
export {
  bool,
  bytes,
  DEFAULT_MAX_DECODE_BYTES,
  decode,
  decodeTrusted,
  encode,
  list,
  nullable,
  oneOf,
  struct,
  text,
  uint,
} from "./codec.js";
export type { EncodingErrorType } from "./errors.js";
export { EncodingError, EncodingErrorCode, schemaError } from "./errors.js";
