import { resolve } from "node:path";
import { addressFromPublicKey, bytesTo0x, generateSecretKey, loadKeyFile, saveKeyFile } from "@hansa/core";
import type { Command } from "commander";
import { action, print } from "../output.js";
import { requiredEnv } from "./init.js";

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create and inspect Ed25519 key files");
  keys
    .command("generate")
    .description("write a new key file (mode 0600; refuses to overwrite)")
    .requiredOption("--out <file>", "key file to create")
    .option("--passphrase-env <var>", "encrypt with the passphrase in this environment variable (scrypt + AES-256-GCM)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  HANSA_PASS=secret hansa keys generate --out alice.json --passphrase-env HANSA_PASS\n",
    )
    .action(
      action(async (opts: { out: string; passphraseEnv?: string; json?: boolean }) => {
        const passphrase = opts.passphraseEnv ? requiredEnv(opts.passphraseEnv) : undefined;
        const file = await saveKeyFile(resolve(opts.out), generateSecretKey(), passphrase);
        const summary = {
          file: resolve(opts.out),
          address: file.address,
          publicKey: file.publicKey,
          encrypted: !!file.encrypted,
        };
        print(
          opts,
          summary,
          () => `wrote ${summary.file}\n  address:    ${summary.address}\n  public key: ${summary.publicKey}`,
        );
      }),
    );
  keys
    .command("show")
    .description("print a key file's address and public key")
    .requiredOption("--key <file>", "key file")
    .option("--passphrase-env <var>", "passphrase of an encrypted key file")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  hansa keys show --key ~/.hansa/keys/validator.json --json\n")
    .action(
      action(async (opts: { key: string; passphraseEnv?: string; json?: boolean }) => {
        const passphrase = opts.passphraseEnv ? requiredEnv(opts.passphraseEnv) : undefined;
        const { publicKey } = await loadKeyFile(resolve(opts.key), passphrase);
        const summary = { address: addressFromPublicKey(publicKey), publicKey: bytesTo0x(publicKey) };
        print(opts, summary, () => `address:    ${summary.address}\npublic key: ${summary.publicKey}`);
      }),
    );
}
