import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { bytesTo0x, equalBytes, hexToBytes } from "../bytes.js";
import { HansaError } from "../errors.js";
import { sha256 } from "../hash.js";
import { addressFromPublicKey } from "./address.js";
import { getPublicKey } from "./ed25519.js";

export const KeyFileErrorCode = {
  MALFORMED: "KEYFILE_MALFORMED",
  PASSPHRASE_REQUIRED: "KEYFILE_PASSPHRASE_REQUIRED",
  WRONG_PASSPHRASE: "KEYFILE_WRONG_PASSPHRASE",
  /** The passphrase is right but the ciphertext, iv, tag or public key was altered. */
  TAMPERED: "KEYFILE_TAMPERED",
  KEY_MISMATCH: "KEYFILE_KEY_MISMATCH",
} as const;

export type KeyFileErrorType = { code: (typeof KeyFileErrorCode)[keyof typeof KeyFileErrorCode]; path?: string };

export class KeyFileError extends HansaError<KeyFileErrorType> {
  constructor(type: KeyFileErrorType, message: string) {
    super(type, message);
    this.name = "KeyFileError";
  }
}

/**
 * scrypt cost: N = 2^15 takes ~100 ms here, enough to slow guessing, quick enough for a node start. scrypt
 * yields 64 bytes: the first 32 are the AES key, SHA-256 of the last 32 is stored as `check`, so a wrong
 * passphrase and an altered file are told apart. `check` is no shortcut for guessing: each guess still costs
 * one scrypt, as the GCM tag would. (scrypt's first 32 bytes do not depend on the output length, so files
 * written before `check` existed still open.)
 */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 64, maxmem: 64 * 1024 * 1024 } as const;

interface EncryptedSecret {
  kdf: "scrypt";
  kdfparams: { N: number; r: number; p: number; salt: string };
  cipher: "aes-256-gcm";
  iv: string;
  ciphertext: string;
  tag: string;
  /** SHA-256 of the second half of the scrypt output: tells a wrong passphrase from an altered file. */
  check?: string;
}

/** The JSON shape of a key file. `secretKey` (plain) or `encrypted` is present, never both. */
export interface KeyFileJson {
  type: "hansa-ed25519";
  address: string;
  publicKey: string;
  secretKey?: string;
  encrypted?: EncryptedSecret;
}

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

function deriveKey(passphrase: string, salt: Uint8Array, N: number, r: number, p: number) {
  const out = scryptSync(passphrase, salt, SCRYPT.keyLength, { N, r, p, maxmem: SCRYPT.maxmem });
  return { key: out.subarray(0, 32), check: sha256(out.subarray(32)) };
}

export function keyFileFromSecret(secretKey: Uint8Array, passphrase?: string): KeyFileJson {
  const publicKey = getPublicKey(secretKey);
  const base = {
    type: "hansa-ed25519",
    address: addressFromPublicKey(publicKey),
    publicKey: bytesTo0x(publicKey),
  } as const;
  if (passphrase === undefined) return { ...base, secretKey: bytesTo0x(secretKey) };
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const derived = deriveKey(passphrase, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  const cipher = createCipheriv("aes-256-gcm", derived.key, iv);
  // The public key is authenticated data, so a file whose public key was swapped fails to open.
  cipher.setAAD(publicKey);
  const ciphertext = Buffer.concat([cipher.update(secretKey), cipher.final()]);
  return {
    ...base,
    encrypted: {
      kdf: "scrypt",
      kdfparams: { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: bytesTo0x(salt) },
      cipher: "aes-256-gcm",
      iv: bytesTo0x(iv),
      ciphertext: bytesTo0x(ciphertext),
      tag: bytesTo0x(cipher.getAuthTag()),
      check: bytesTo0x(derived.check),
    },
  };
}

function malformed(why: string): KeyFileError {
  return new KeyFileError({ code: KeyFileErrorCode.MALFORMED }, `key file malformed: ${why}`);
}

export function keyPairFromKeyFile(json: unknown, passphrase?: string): KeyPair {
  const file = json as Partial<KeyFileJson> | null;
  if (typeof file !== "object" || file === null || file.type !== "hansa-ed25519")
    throw malformed('type is not "hansa-ed25519"');
  if (typeof file.publicKey !== "string") throw malformed("publicKey missing");
  let publicKey: Uint8Array;
  let secretKey: Uint8Array;
  try {
    publicKey = hexToBytes(file.publicKey, "publicKey");
    if (file.secretKey !== undefined) {
      secretKey = hexToBytes(file.secretKey, "secretKey");
    } else if (file.encrypted !== undefined) {
      if (passphrase === undefined) {
        throw new KeyFileError(
          { code: KeyFileErrorCode.PASSPHRASE_REQUIRED },
          "key file is encrypted: a passphrase is required",
        );
      }
      const e = file.encrypted;
      if (e.kdf !== "scrypt" || e.cipher !== "aes-256-gcm") throw malformed("unsupported kdf or cipher");
      const derived = deriveKey(passphrase, hexToBytes(e.kdfparams.salt), e.kdfparams.N, e.kdfparams.r, e.kdfparams.p);
      const check = e.check === undefined ? undefined : hexToBytes(e.check, "check");
      if (check !== undefined && !equalBytes(check, derived.check)) {
        throw new KeyFileError({ code: KeyFileErrorCode.WRONG_PASSPHRASE }, "wrong passphrase");
      }
      const decipher = createDecipheriv("aes-256-gcm", derived.key, hexToBytes(e.iv));
      decipher.setAAD(publicKey);
      decipher.setAuthTag(hexToBytes(e.tag));
      try {
        secretKey = new Uint8Array(Buffer.concat([decipher.update(hexToBytes(e.ciphertext)), decipher.final()]));
      } catch {
        throw check === undefined
          ? new KeyFileError(
              { code: KeyFileErrorCode.WRONG_PASSPHRASE },
              "wrong passphrase (or the key file was altered)",
            )
          : new KeyFileError(
              { code: KeyFileErrorCode.TAMPERED },
              "the passphrase is right but the key file was altered",
            );
      }
    } else {
      throw malformed("neither secretKey nor encrypted is present");
    }
  } catch (err) {
    if (err instanceof KeyFileError) throw err;
    throw malformed((err as Error).message);
  }
  if (secretKey.length !== 32) throw malformed("secret key is not 32 bytes");
  const derived = getPublicKey(secretKey);
  if (Buffer.compare(derived, publicKey) !== 0) {
    throw new KeyFileError(
      { code: KeyFileErrorCode.KEY_MISMATCH },
      "secret key does not match the public key in the file",
    );
  }
  return { secretKey, publicKey };
}

export async function saveKeyFile(path: string, secretKey: Uint8Array, passphrase?: string): Promise<KeyFileJson> {
  const json = keyFileFromSecret(secretKey, passphrase);
  await writeFile(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return json;
}

export async function loadKeyFile(path: string, passphrase?: string): Promise<KeyPair> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw err;
    throw new KeyFileError({ code: KeyFileErrorCode.MALFORMED, path }, `key file ${path} is not JSON`);
  }
  return keyPairFromKeyFile(json, passphrase);
}
