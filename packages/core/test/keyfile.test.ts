// Key files: plain and passphrase-encrypted (scrypt + AES-256-GCM), each failure with its own error code.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addressFromPublicKey,
  bytesTo0x,
  getPublicKey,
  KeyFileError,
  KeyFileErrorCode,
  type KeyFileJson,
  keyFileFromSecret,
  keyPairFromKeyFile,
  loadKeyFile,
  saveKeyFile,
} from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode, secretKey } from "./helpers.js";

const sk = secretKey(7);
const pk = getPublicKey(sk);
const PASS = "correct horse battery staple";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hansa-keyfile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One encrypted file shared by the tests that alter it: scrypt is deliberately slow. */
const encrypted = keyFileFromSecret(sk, PASS);
const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}`;
const altered = (patch: Partial<NonNullable<KeyFileJson["encrypted"]>>): KeyFileJson => ({
  ...encrypted,
  encrypted: { ...encrypted.encrypted!, ...patch },
});

describe("key files", () => {
  it("round trip a plain file, written with mode 0600", async () => {
    const path = join(dir, "plain.json");
    const json = await saveKeyFile(path, sk);
    expect(json.address).toBe(addressFromPublicKey(pk));
    expect(json.publicKey).toBe(bytesTo0x(pk));
    expect(json.secretKey).toBe(bytesTo0x(sk));
    expect(json.encrypted).toBeUndefined();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadKeyFile(path)).toEqual({ secretKey: sk, publicKey: pk });
  });

  it("round trip an encrypted file, written with mode 0600 and no secret in clear", async () => {
    const path = join(dir, "encrypted.json");
    await saveKeyFile(path, sk, PASS);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, "utf8");
    expect(text).not.toContain(bytesTo0x(sk).slice(2));
    expect(JSON.parse(text).secretKey).toBeUndefined();
    expect(await loadKeyFile(path, PASS)).toEqual({ secretKey: sk, publicKey: pk });
  });

  it("never overwrite an existing file", async () => {
    const path = join(dir, "once.json");
    await saveKeyFile(path, sk);
    await expect(saveKeyFile(path, secretKey(8))).rejects.toMatchObject({ code: "EEXIST" });
  });

  it("wrong passphrase: KEYFILE_WRONG_PASSPHRASE", () => {
    const err = expectCode(() => keyPairFromKeyFile(encrypted, "wrong"), KeyFileErrorCode.WRONG_PASSPHRASE);
    expect(err).toBeInstanceOf(KeyFileError);
  });

  it("missing passphrase: KEYFILE_PASSPHRASE_REQUIRED", () => {
    expectCode(() => keyPairFromKeyFile(encrypted), KeyFileErrorCode.PASSPHRASE_REQUIRED);
  });

  describe("tampered encrypted file, right passphrase: KEYFILE_TAMPERED", () => {
    it.each([
      ["ciphertext", () => altered({ ciphertext: flip(encrypted.encrypted!.ciphertext) })],
      ["tag", () => altered({ tag: flip(encrypted.encrypted!.tag) })],
      ["iv", () => altered({ iv: flip(encrypted.encrypted!.iv) })],
      ["public key (authenticated data)", () => ({ ...encrypted, publicKey: bytesTo0x(getPublicKey(secretKey(8))) })],
    ])("%s", (_name, make) => {
      expectCode(() => keyPairFromKeyFile(make(), PASS), KeyFileErrorCode.TAMPERED);
    });

    it("an altered salt reads as a wrong passphrase: it changes the derived key", () => {
      const file = altered({
        kdfparams: { ...encrypted.encrypted!.kdfparams, salt: flip(encrypted.encrypted!.kdfparams.salt) },
      });
      expectCode(() => keyPairFromKeyFile(file, PASS), KeyFileErrorCode.WRONG_PASSPHRASE);
    });
  });

  it("a file without `check` still opens; a bad passphrase then cannot be told from tampering", () => {
    const { check: _check, ...legacy } = encrypted.encrypted!;
    const file = { ...encrypted, encrypted: legacy };
    expect(keyPairFromKeyFile(file, PASS)).toEqual({ secretKey: sk, publicKey: pk });
    expectCode(() => keyPairFromKeyFile(file, "wrong"), KeyFileErrorCode.WRONG_PASSPHRASE);
  });

  it("public key mismatch in a plain file: KEYFILE_KEY_MISMATCH", () => {
    const plain = keyFileFromSecret(sk);
    const other = { ...plain, publicKey: bytesTo0x(getPublicKey(secretKey(8))) };
    expectCode(() => keyPairFromKeyFile(other), KeyFileErrorCode.KEY_MISMATCH);
    const swapped = { ...plain, secretKey: bytesTo0x(secretKey(8)) };
    expectCode(() => keyPairFromKeyFile(swapped), KeyFileErrorCode.KEY_MISMATCH);
  });

  describe("malformed: KEYFILE_MALFORMED", () => {
    const plain = keyFileFromSecret(sk);
    it.each([
      ["null", null],
      ["a string", "key"],
      ["another type", { ...plain, type: "other" }],
      ["no public key", { ...plain, publicKey: undefined }],
      ["bad hex", { ...plain, secretKey: "0xzz" }],
      ["a short secret key", { ...plain, secretKey: "0x0102" }],
      ["neither secret nor encrypted", { ...plain, secretKey: undefined }],
      ["an unknown cipher", { ...encrypted, encrypted: { ...encrypted.encrypted!, cipher: "des" } }],
      ["encrypted without kdfparams", { ...encrypted, encrypted: { ...encrypted.encrypted!, kdfparams: undefined } }],
    ])("%s", (_name, json) => {
      expectCode(() => keyPairFromKeyFile(json, PASS), KeyFileErrorCode.MALFORMED);
    });

    it("a file that is not JSON", async () => {
      const path = join(dir, "garbage.json");
      await writeFile(path, "not json", { mode: 0o600 });
      await expect(loadKeyFile(path)).rejects.toMatchObject({ code: KeyFileErrorCode.MALFORMED });
    });
  });

  it("a missing file is the file system's ENOENT, not a key file error", async () => {
    await expect(loadKeyFile(join(dir, "absent.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
