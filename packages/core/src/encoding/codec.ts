import { encode as cborEncode, decodeFirst, type Token, Tokenizer, Type } from "cborg";
import { equalBytes } from "../bytes.js";
import { EncodingError, EncodingErrorCode, schemaError } from "./errors.js";

/**
 * A schema for one value: how it maps to the CBOR data model and back, with every check the decoder needs.
 * Structures are CBOR arrays with fields by position (compact, and an extra field is an error), so the
 * schema, not the bytes, carries the field names.
 */
export interface Codec<T> {
  /** Human-readable type, used in error messages. */
  readonly describe: string;
  toCbor(value: T): unknown;
  fromCbor(raw: unknown, path: string): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export interface Bound {
  /** Inclusive upper bound on length (bytes, characters of UTF-8 or items). */
  max: number;
}

/** A non-negative integer no larger than 2^53 - 1 (CBOR major type 0). */
export function uint(): Codec<number> {
  return {
    describe: "unsigned integer",
    toCbor(value) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`expected unsigned integer, got ${value}`);
      return value;
    },
    fromCbor(raw, path) {
      if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) throw schemaError(path, "unsigned integer");
      return raw;
    },
  };
}

/** A byte string of exactly `length` bytes, or of at most `bound.max` bytes. */
export function bytes(size: number | Bound): Codec<Uint8Array> {
  const exact = typeof size === "number";
  const describe = exact ? `${size} bytes` : `at most ${size.max} bytes`;
  const fits = (b: Uint8Array) => (exact ? b.length === size : b.length <= size.max);
  return {
    describe,
    toCbor(value) {
      if (!(value instanceof Uint8Array) || !fits(value)) throw new RangeError(`expected ${describe}`);
      return value;
    },
    fromCbor(raw, path) {
      if (!(raw instanceof Uint8Array) || !fits(raw)) throw schemaError(path, describe);
      return raw;
    },
  };
}

/** A lone UTF-16 surrogate has no UTF-8 form: encoding would silently turn it into U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A UTF-8 text string of at most `max` bytes, optionally matching `pattern`. */
export function text(bound: Bound & { pattern?: RegExp }): Codec<string> {
  const describe = `text of at most ${bound.max} bytes${bound.pattern ? ` matching ${bound.pattern}` : ""}`;
  const fits = (s: string) => Buffer.byteLength(s, "utf8") <= bound.max && (!bound.pattern || bound.pattern.test(s));
  return {
    describe,
    toCbor(value) {
      if (typeof value !== "string" || !fits(value)) throw new RangeError(`expected ${describe}, got ${value}`);
      if (LONE_SURROGATE.test(value)) throw new RangeError(`expected ${describe}, got a lone UTF-16 surrogate`);
      return value;
    },
    fromCbor(raw, path) {
      if (typeof raw !== "string" || !fits(raw)) throw schemaError(path, describe);
      return raw;
    },
  };
}

export function bool(): Codec<boolean> {
  return {
    describe: "boolean",
    toCbor(value) {
      if (typeof value !== "boolean") throw new RangeError(`expected boolean, got ${value}`);
      return value;
    },
    fromCbor(raw, path) {
      if (typeof raw !== "boolean") throw schemaError(path, "boolean");
      return raw;
    },
  };
}

/** One of a fixed set of text values. */
export function oneOf<const T extends readonly string[]>(values: T): Codec<T[number]> {
  const describe = `one of ${values.join(", ")}`;
  return {
    describe,
    toCbor(value) {
      if (!values.includes(value)) throw new RangeError(`expected ${describe}, got ${value}`);
      return value;
    },
    fromCbor(raw, path) {
      if (typeof raw !== "string" || !values.includes(raw)) throw schemaError(path, describe);
      return raw as T[number];
    },
  };
}

/** `null` or a value of `inner`. */
export function nullable<T>(inner: Codec<T>): Codec<T | null> {
  return {
    describe: `null or ${inner.describe}`,
    toCbor: (value) => (value === null ? null : inner.toCbor(value)),
    fromCbor: (raw, path) => (raw === null ? null : inner.fromCbor(raw, path)),
  };
}

/** A CBOR array of at most `bound.max` items of one codec. */
export function list<T>(item: Codec<T>, bound: Bound): Codec<T[]> {
  const describe = `list of at most ${bound.max} × ${item.describe}`;
  return {
    describe,
    toCbor(value) {
      if (!Array.isArray(value) || value.length > bound.max) throw new RangeError(`expected ${describe}`);
      return value.map((v) => item.toCbor(v));
    },
    fromCbor(raw, path) {
      if (!Array.isArray(raw) || raw.length > bound.max) throw schemaError(path, describe);
      return raw.map((v, i) => item.fromCbor(v, `${path}[${i}]`));
    },
  };
}

type Fields = Record<string, Codec<unknown>>;
type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

/**
 * A record encoded as a CBOR array in the order the fields are declared. Decoding requires exactly that many
 * items: a missing or unknown field is a schema error.
 */
export function struct<F extends Fields>(name: string, fields: F): Codec<StructOf<F>> {
  const entries = Object.entries(fields);
  return {
    describe: name,
    toCbor(value) {
      return entries.map(([key, codec]) => codec.toCbor((value as Record<string, unknown>)[key]));
    },
    fromCbor(raw, path) {
      if (!Array.isArray(raw)) throw schemaError(path, `${name} (array of ${entries.length})`);
      if (raw.length !== entries.length) {
        throw schemaError(path, `${name} with ${entries.length} fields, got ${raw.length}`);
      }
      const out: Record<string, unknown> = {};
      entries.forEach(([key, codec], i) => {
        out[key] = codec.fromCbor(raw[i], `${path}.${key}`);
      });
      return out as StructOf<F>;
    },
  };
}

/** Options of cborg that keep to the deterministic subset: no indefinite lengths, floats specials or undefined. */
const DECODE_OPTIONS = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: false,
  rejectDuplicateMapKeys: true,
  useMaps: false,
} as const;

/** The same options with the two encoding-form checks relaxed, used only to name an error (see `decode`). */
const LENIENT_OPTIONS = { ...DECODE_OPTIONS, strict: false, allowIndefinite: true } as const;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Thrown for well-formed CBOR in a form the canonical subset excludes. */
class NonCanonicalForm extends Error {}

/** Initial bytes of an indefinite-length byte string (0x5f) and text string (0x7f). */
const INDEFINITE_STRING = new Set([0x5f, 0x7f]);

/**
 * cborg decodes text with a non-fatal TextDecoder that drops a leading BOM and turns invalid UTF-8 into
 * U+FFFD. RFC 8949 makes invalid UTF-8 malformed, and a leading U+FEFF is text like any other, so every text
 * string is decoded again here from its own bytes, strictly.
 */
class StrictTextTokenizer extends Tokenizer {
  constructor(data: Uint8Array, options: typeof DECODE_OPTIONS | typeof LENIENT_OPTIONS) {
    super(data, { ...options, retainStringBytes: true });
  }

  override next(): Token {
    // cborg cannot parse these at all; they are valid CBOR, only not canonical.
    if (INDEFINITE_STRING.has(this.data[this.pos()] as number)) {
      throw new NonCanonicalForm("indefinite-length string");
    }
    const token = super.next();
    if (Type.equals(token.type, Type.string)) {
      try {
        token.value = utf8.decode(token.byteValue);
      } catch {
        throw new Error("text string is not valid UTF-8");
      }
    }
    return token;
  }
}

function decodeCbor(data: Uint8Array, options: typeof DECODE_OPTIONS | typeof LENIENT_OPTIONS): [unknown, Uint8Array] {
  return decodeFirst(data, { ...options, tokenizer: new StrictTextTokenizer(data, options) });
}

/** Whether a strict decode failure `err` of `data` is well-formed CBOR outside the canonical subset. */
function isNonCanonicalForm(data: Uint8Array, err: unknown): boolean {
  if (err instanceof NonCanonicalForm) return true;
  try {
    decodeCbor(data, LENIENT_OPTIONS);
    return true;
  } catch (lenientErr) {
    return lenientErr instanceof NonCanonicalForm;
  }
}

/** Default upper bound on any input to `decode`, unless the caller gives a tighter one. */
export const DEFAULT_MAX_DECODE_BYTES = 16 * 1024 * 1024;

/**
 * Canonical CBOR bytes of `value` under `codec`, as a plain Uint8Array. (cborg hands back a Buffer under
 * Node, whose `slice` shares memory where Uint8Array's copies; one type everywhere avoids that trap.)
 */
export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  const out = cborEncode(codec.toCbor(value));
  return Buffer.isBuffer(out) ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : out;
}

/** Every check of `decode` but the canonical re-encode: size, well-formed CBOR, no trailing bytes, schema. */
function decodeSchema<T>(codec: Codec<T>, data: Uint8Array, maxBytes: number): T {
  if (!(data instanceof Uint8Array)) throw schemaError(codec.describe, "Uint8Array input");
  if (data.length > maxBytes) {
    throw new EncodingError(
      { code: EncodingErrorCode.OVERSIZE, size: data.length, limit: maxBytes },
      `${codec.describe}: ${data.length} bytes exceeds the limit of ${maxBytes}`,
    );
  }
  let raw: unknown;
  let rest: Uint8Array;
  try {
    [raw, rest] = decodeCbor(data, DECODE_OPTIONS);
  } catch (err) {
    // Well-formed CBOR that only the strict options refuse (a non-minimal integer or length, an indefinite
    // length) is an alternative encoding, not garbage: name it so, as the float-for-integer case below is.
    throw isNonCanonicalForm(data, err)
      ? new EncodingError(
          { code: EncodingErrorCode.NON_CANONICAL },
          `${codec.describe}: non-canonical encoding (${(err as Error).message})`,
        )
      : new EncodingError(
          { code: EncodingErrorCode.MALFORMED },
          `${codec.describe}: malformed CBOR (${(err as Error).message})`,
        );
  }
  if (rest.length > 0) {
    throw new EncodingError(
      { code: EncodingErrorCode.TRAILING_BYTES, trailing: rest.length },
      `${codec.describe}: ${rest.length} trailing bytes`,
    );
  }
  return codec.fromCbor(raw, codec.describe);
}

/**
 * Decodes `data` under `codec`, accepting only the one canonical encoding: it rejects oversize input,
 * malformed CBOR, trailing bytes, schema violations and any encoding that differs from `encode`'s output.
 */
export function decode<T>(codec: Codec<T>, data: Uint8Array, maxBytes = DEFAULT_MAX_DECODE_BYTES): T {
  const value = decodeSchema(codec, data, maxBytes);
  // The decoder tolerates some alternative encodings (e.g. an integer written as a float); re-encoding and
  // comparing is the one check that catches them all.
  if (!equalBytes(cborEncode(codec.toCbor(value)), data)) {
    throw new EncodingError({ code: EncodingErrorCode.NON_CANONICAL }, `${codec.describe}: non-canonical encoding`);
  }
  return value;
}

/**
 * `decode` without the final re-encode comparison, for bytes that `encode` produced on this node and that
 * never crossed a trust boundary (its own database): they are canonical by construction, and re-encoding
 * every stored value read costs as much as the decode itself. Every other check still applies, so damage
 * still throws. Never use it on bytes from a peer or a client.
 */
export function decodeTrusted<T>(codec: Codec<T>, data: Uint8Array, maxBytes = DEFAULT_MAX_DECODE_BYTES): T {
  return decodeSchema(codec, data, maxBytes);
}
