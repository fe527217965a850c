import { readFile, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { HansaError } from "@hansa/core";
import { z } from "zod";

/**
 * One node's configuration: `<home>/config.json`. Paths are relative to the home folder. Every field is
 * documented in docs/operations.md; unknown fields are refused so a typo never passes silently.
 */
const hexKey = z.string().regex(/^0x[0-9a-f]{64}$/, "expected a 0x-prefixed 32-byte hex public key");

export const NodeConfigSchema = z
  .object({
    moniker: z.string().min(1).max(64),
    genesisFile: z.string().default("genesis.json"),
    keyFile: z.string().default("keys/validator.json"),
    dataDir: z.string().default("data"),
    rpc: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(26657),
        maxRequestBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
        maxBatch: z.number().int().positive().default(1000),
      })
      .strict()
      .prefault({}),
    p2p: z
      .object({
        listen: z.array(z.string()).default(["/ip4/127.0.0.1/tcp/26656"]),
        peers: z.array(z.object({ publicKey: hexKey, addrs: z.array(z.string()).min(1) }).strict()).default([]),
        /** Public keys of non-voting observer nodes allowed to connect, beyond the validators. */
        observers: z.array(hexKey).default([]),
      })
      .strict()
      .prefault({}),
    mempool: z
      .object({
        maxTxs: z.number().int().positive().default(20_000),
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(64 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(["debug", "info", "warn", "error"]).default("info") })
      .strict()
      .prefault({}),
  })
  .strict();

export type NodeConfig = z.infer<typeof NodeConfigSchema>;
export type NodeConfigInput = z.input<typeof NodeConfigSchema>;

export type ConfigErrorType = { code: "CONFIG_INVALID"; path: string; issues: string[] };

export class ConfigError extends HansaError<ConfigErrorType> {
  constructor(path: string, issues: string[]) {
    super({ code: "CONFIG_INVALID", path, issues }, `invalid config ${path}:\n  ${issues.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export const CONFIG_FILE = "config.json";

export function parseConfig(json: unknown, path = CONFIG_FILE): NodeConfig {
  const result = NodeConfigSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(
      path,
      result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return result.data;
}

export async function loadConfig(home: string): Promise<NodeConfig> {
  const path = join(home, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, [`cannot read: ${(err as Error).message} (run \`hansa init --home ${home}\` first)`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`not JSON: ${(err as Error).message}`]);
  }
  return parseConfig(json, path);
}

export async function saveConfig(home: string, config: NodeConfigInput): Promise<void> {
  const full = parseConfig(config);
  await writeFile(join(home, CONFIG_FILE), `${JSON.stringify(full, null, 2)}\n`);
}

/** Resolves a path from the config against the home folder. */
export function homePath(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}
