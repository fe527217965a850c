import { readFileSync } from "node:fs";
import { bytesTo0x, hexToBytes, isAddress, ORG_ID_PATTERN, ROLES, type Role } from "@hansa/core";
import { InvalidArgumentError } from "commander";

/**
 * Parsers for command-line values. Each throws commander's InvalidArgumentError, so a malformed value is a
 * usage error (exit code 2) reported before anything is signed or sent.
 */

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

export function parseUint(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a whole number");
  return n;
}

export function parsePositive(value: string): number {
  const n = parseUint(value);
  if (n === 0) throw new InvalidArgumentError("expected a number above 0");
  return n;
}

export function parseHash(value: string): string {
  if (!HASH_RE.test(value)) throw new InvalidArgumentError("expected 32 bytes as 0x-prefixed hex (64 hex digits)");
  return value.toLowerCase();
}

export function parseHex(value: string): Uint8Array {
  if (!HEX_RE.test(value)) throw new InvalidArgumentError("expected bytes as 0x-prefixed hex");
  return hexToBytes(value);
}

/**
 * A public key as 0x-hex, or the path of a key file whose public key to take: reading a key file's public
 * key needs no passphrase, so `--public-key bob.json` works for encrypted files too.
 */
export function parsePublicKey(value: string): Uint8Array {
  if (HASH_RE.test(value)) return hexToBytes(value);
  if (value.startsWith("0x")) throw new InvalidArgumentError("expected a 32-byte public key as 0x-hex (64 hex digits)");
  let file: { publicKey?: unknown };
  try {
    file = JSON.parse(readFileSync(value, "utf8")) as { publicKey?: unknown };
  } catch (err) {
    throw new InvalidArgumentError(`expected a 0x-hex public key or a key file (${(err as Error).message})`);
  }
  if (typeof file?.publicKey !== "string" || !HASH_RE.test(file.publicKey)) {
    throw new InvalidArgumentError(`${value} is not a key file: it has no 0x-hex "publicKey"`);
  }
  return hexToBytes(file.publicKey);
}

/** `admin,writer`, `writer`, or an empty string for a member without roles. */
export function parseRoles(value: string): Role[] {
  const roles = value
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new InvalidArgumentError(`unknown role "${r}"; roles are ${ROLES.join(", ")}`);
    }
  }
  if (new Set(roles).size !== roles.length) throw new InvalidArgumentError("a role is repeated");
  return roles as Role[];
}

export function parseOrgId(value: string): string {
  if (!ORG_ID_PATTERN.test(value)) throw new InvalidArgumentError(`expected an organization id (${ORG_ID_PATTERN})`);
  return value;
}

/** An account: a `hansa1…` address, a 0x-hex public key, or a key file, as `account_get` takes it. */
export function parseAccount(value: string): string {
  if (isAddress(value)) return value;
  try {
    return bytesTo0x(parsePublicKey(value));
  } catch {
    throw new InvalidArgumentError(
      "expected a hansa1… address (with a valid checksum), a 0x-hex public key or a key file",
    );
  }
}

export type BlockRef = { height: number | "latest" } | { hash: string };

/** `latest`, a height, or a 0x block hash. */
export function parseBlockRef(value: string): BlockRef {
  if (value === "latest") return { height: "latest" };
  if (value.startsWith("0x")) return { hash: parseHash(value) };
  try {
    return { height: parseUint(value) };
  } catch {
    throw new InvalidArgumentError("expected a height, latest, or a 0x block hash");
  }
}

export function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected a URL such as http://127.0.0.1:26657");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidArgumentError("expected an http(s) URL");
  return value;
}
