import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  addressFromPublicKey,
  bytesTo0x,
  DEFAULT_CONSENSUS_PARAMS,
  type Genesis,
  generateSecretKey,
  genesisFromJson,
  genesisToJson,
  getPublicKey,
  loadKeyFile,
  saveKeyFile,
} from "@hansa/core";
import { homePath, loadConfig, type NodeConfig, saveConfig } from "./config.js";

/**
 * A node's home folder:
 *   config.json           the node's configuration
 *   genesis.json          the chain's genesis document (identical on every node)
 *   keys/validator.json   the node's Ed25519 key: validator identity and network identity
 *   data/                 LevelDB: blocks, state, consensus write-ahead records
 */
export const VALIDATOR_KEY_FILE = "keys/validator.json";

export interface InitOptions {
  home: string;
  moniker: string;
  chainId: string;
  rpcPort: number;
  p2pPort: number;
  /** An existing genesis to join; when absent a one-validator genesis with this node is written. */
  genesis?: Genesis;
  secretKey?: Uint8Array;
  peers?: { publicKey: string; addrs: string[] }[];
  passphrase?: string;
}

export async function writeGenesis(path: string, genesis: Genesis): Promise<void> {
  await writeFile(path, `${JSON.stringify(genesisToJson(genesis), null, 2)}\n`);
}

export async function readGenesis(path: string): Promise<Genesis> {
  return genesisFromJson(JSON.parse(await readFile(path, "utf8")));
}

/** Genesis for a single-validator development chain: the node is the only validator and admin of org "dev". */
export function devGenesis(chainId: string, validatorKey: Uint8Array, time = Date.now()): Genesis {
  return {
    chainId,
    genesisTime: time,
    validators: [{ name: "validator-1", publicKey: validatorKey, power: 10 }],
    organizations: [
      { id: "dev", name: "Development", members: [{ publicKey: validatorKey, roles: ["admin", "writer"] }] },
    ],
    consensusParams: { ...DEFAULT_CONSENSUS_PARAMS },
  };
}

export interface InitResult {
  home: string;
  publicKey: string;
  address: string;
  chainId: string;
  config: NodeConfig;
}

export async function initHome(options: InitOptions): Promise<InitResult> {
  const { home } = options;
  await mkdir(join(home, "keys"), { recursive: true });
  const secretKey = options.secretKey ?? generateSecretKey();
  const publicKey = getPublicKey(secretKey);
  await saveKeyFile(join(home, VALIDATOR_KEY_FILE), secretKey, options.passphrase);
  const genesis = options.genesis ?? devGenesis(options.chainId, publicKey);
  await writeGenesis(join(home, "genesis.json"), genesis);
  await saveConfig(home, {
    moniker: options.moniker,
    rpc: { port: options.rpcPort },
    p2p: { listen: [`/ip4/127.0.0.1/tcp/${options.p2pPort}`], peers: options.peers ?? [] },
  });
  return {
    home,
    publicKey: bytesTo0x(publicKey),
    address: addressFromPublicKey(publicKey),
    chainId: genesis.chainId,
    config: await loadConfig(home),
  };
}

export interface LoadedHome {
  home: string;
  config: NodeConfig;
  genesis: Genesis;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export async function loadHome(home: string, passphrase?: string): Promise<LoadedHome> {
  const config = await loadConfig(home);
  const genesis = await readGenesis(homePath(home, config.genesisFile));
  const { secretKey, publicKey } = await loadKeyFile(homePath(home, config.keyFile), passphrase);
  return { home, config, genesis, secretKey, publicKey };
}
