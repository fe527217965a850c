import { bech32m } from "@scure/base";
import { assertBytes } from "../bytes.js";
import { HansaError } from "../errors.js";
import { sha256 } from "../hash.js";

/**
 * An address is the bech32m (BIP 350) text of the first 20 bytes of SHA-256(public key) with the human
 * part "hansa", e.g. `hansa1…`. bech32m's checksum catches any single typo and most others.
 */
export const ADDRESS_PREFIX = "hansa";
export const ADDRESS_BYTES = 20;

export type AddressErrorType = { code: "ADDRESS_INVALID"; address: string };

export class AddressError extends HansaError<AddressErrorType> {
  constructor(address: string, why: string) {
    super({ code: "ADDRESS_INVALID", address }, `invalid address "${address}": ${why}`);
    this.name = "AddressError";
  }
}

export function addressBytesFromPublicKey(publicKey: Uint8Array): Uint8Array {
  assertBytes(publicKey, "publicKey", 32);
  return sha256(publicKey).subarray(0, ADDRESS_BYTES);
}

export function addressFromPublicKey(publicKey: Uint8Array): string {
  return bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(addressBytesFromPublicKey(publicKey)));
}

/** Checks prefix, checksum and length; returns the 20 address bytes. */
export function addressToBytes(address: string): Uint8Array {
  if (typeof address !== "string") throw new AddressError(String(address), "not a string");
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(address as `${string}1${string}`);
  } catch (err) {
    throw new AddressError(address, (err as Error).message);
  }
  if (decoded.prefix !== ADDRESS_PREFIX) throw new AddressError(address, `prefix is not "${ADDRESS_PREFIX}"`);
  const bytes = bech32m.fromWords(decoded.words);
  if (bytes.length !== ADDRESS_BYTES) throw new AddressError(address, `expected ${ADDRESS_BYTES} bytes`);
  return bytes;
}

export function isAddress(address: unknown): address is string {
  try {
    addressToBytes(address as string);
    return true;
  } catch {
    return false;
  }
}
