import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  addressFromPublicKey,
  bytesTo0x,
  DEFAULT_CONSENSUS_PARAMS,
  type Genesis,
  generateSecretKey,
  getPublicKey,
  saveKeyFile,
} from "@hansa/core";
import { initHome } from "../config/home.js";

/**
 * A local testnet folder:
 *   testnet.json          what was generated: each node's home, ports, keys; read again on resume
 *   genesis.json          the shared genesis (also copied into each node's home)
 *   node1/ … nodeN/       one node home each (see config/home.ts)
 *   accounts/orgI-admin.json  the admin key of organization orgI, for `hansa tx --key …`
 */
export interface TestnetNode {
  moniker: string;
  home: string;
  rpcUrl: string;
  p2pAddr: string;
  publicKey: string;
  address: string;
}

export interface TestnetLayout {
  chainId: string;
  nodes: TestnetNode[];
  accounts: { organization: string; keyFile: string; address: string }[];
}

export const TESTNET_FILE = "testnet.json";

export interface CreateTestnetOptions {
  home: string;
  validators: number;
  basePort: number;
  chainId?: string;
}

export async function readTestnet(home: string): Promise<TestnetLayout | undefined> {
  try {
    return JSON.parse(await readFile(join(home, TESTNET_FILE), "utf8")) as TestnetLayout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function portsOf(basePort: number, index: number): { rpc: number; p2p: number } {
  return { rpc: basePort + index * 10, p2p: basePort + index * 10 + 1 };
}

export async function createTestnet(options: CreateTestnetOptions): Promise<TestnetLayout> {
  const { home, validators: n, basePort } = options;
  const chainId = options.chainId ?? "hansa-testnet";
  await mkdir(join(home, "accounts"), { recursive: true });
  const validatorKeys = Array.from({ length: n }, () => generateSecretKey());
  const adminKeys = Array.from({ length: n }, () => generateSecretKey());
  const genesis: Genesis = {
    chainId,
    genesisTime: Date.now(),
    validators: validatorKeys.map((sk, i) => ({ name: `validator-${i + 1}`, publicKey: getPublicKey(sk), power: 10 })),
    organizations: adminKeys.map((sk, i) => ({
      id: `org${i + 1}`,
      name: `Organization ${i + 1}`,
      members: [{ publicKey: getPublicKey(sk), roles: ["admin", "writer"] }],
    })),
    consensusParams: { ...DEFAULT_CONSENSUS_PARAMS },
  };
  const nodes: TestnetNode[] = [];
  for (let i = 0; i < n; i++) {
    const nodeHome = join(home, `node${i + 1}`);
    const { rpc, p2p } = portsOf(basePort, i);
    const peers = validatorKeys
      .map((sk, j) => ({
        publicKey: bytesTo0x(getPublicKey(sk)),
        addrs: [`/ip4/127.0.0.1/tcp/${portsOf(basePort, j).p2p}`],
      }))
      .filter((_, j) => j !== i);
    const result = await initHome({
      home: nodeHome,
      moniker: `validator-${i + 1}`,
      chainId,
      rpcPort: rpc,
      p2pPort: p2p,
      genesis,
      secretKey: validatorKeys[i] as Uint8Array,
      peers,
    });
    nodes.push({
      moniker: `validator-${i + 1}`,
      home: nodeHome,
      rpcUrl: `http://127.0.0.1:${rpc}`,
      p2pAddr: `/ip4/127.0.0.1/tcp/${p2p}`,
      publicKey: result.publicKey,
      address: result.address,
    });
  }
  const accounts = [];
  for (let i = 0; i < n; i++) {
    const keyFile = join(home, "accounts", `org${i + 1}-admin.json`);
    const sk = adminKeys[i] as Uint8Array;
    await saveKeyFile(keyFile, sk);
    accounts.push({ organization: `org${i + 1}`, keyFile, address: addressFromPublicKey(getPublicKey(sk)) });
  }
  const layout: TestnetLayout = { chainId, nodes, accounts };
  await writeFile(join(home, TESTNET_FILE), `${JSON.stringify(layout, null, 2)}\n`);
  return layout;
}
