import {
  bytesToHex,
  DEFAULT_CONSENSUS_PARAMS,
  encodeTransaction,
  type Genesis,
  getPublicKey,
  type Receipt,
  type Role,
  sha256,
  signTransaction,
  type Transaction,
  transactionHash,
  utf8ToBytes,
} from "@hansa/core";
import {
  type BlockResult,
  type BlockTx,
  buildPayload,
  executeBlock,
  genesisState,
  MemoryState,
  type PayloadOf,
  type TxKind,
} from "../../src/ledger/index.js";

/** A named test key: deterministic, so failures reproduce. */
export interface TestKey {
  name: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function testKey(name: string): TestKey {
  const secretKey = sha256(utf8ToBytes(`hansa-ledger-test/${name}`));
  return { name, secretKey, publicKey: getPublicKey(secretKey) };
}

export const CHAIN_ID = "ledger-test";
export const GENESIS_TIME = 1_700_000_000_000;

/** The supply-chain consortium of the docs: four organizations, four validators of power 10. */
export const keys = {
  mfgAdmin: testKey("mfg-admin"),
  mfgWriter: testKey("mfg-writer"),
  carrierAdmin: testKey("carrier-admin"),
  carrierWriter: testKey("carrier-writer"),
  customsAdmin: testKey("customs-admin"),
  customsWriter: testKey("customs-writer"),
  buyerAdmin: testKey("buyer-admin"),
  buyerWriter: testKey("buyer-writer"),
  v0: testKey("validator-0"),
  v1: testKey("validator-1"),
  v2: testKey("validator-2"),
  v3: testKey("validator-3"),
  outsider: testKey("outsider"),
} as const;

function member(k: TestKey, ...roles: Role[]) {
  return { publicKey: k.publicKey, roles };
}

export function testGenesis(validatorCount = 4): Genesis {
  const vs = [keys.v0, keys.v1, keys.v2, keys.v3].slice(0, validatorCount);
  return {
    chainId: CHAIN_ID,
    genesisTime: GENESIS_TIME,
    validators: vs.map((v) => ({ name: v.name, publicKey: v.publicKey, power: 10 })),
    organizations: [
      { id: "mfg", name: "Manufacturer", members: [member(keys.mfgAdmin, "admin"), member(keys.mfgWriter, "writer")] },
      {
        id: "carrier",
        name: "Carrier",
        members: [member(keys.carrierAdmin, "admin", "writer"), member(keys.carrierWriter, "writer")],
      },
      {
        id: "customs",
        name: "Customs",
        members: [member(keys.customsAdmin, "admin"), member(keys.customsWriter, "writer")],
      },
      { id: "buyer", name: "Buyer", members: [member(keys.buyerAdmin, "admin"), member(keys.buyerWriter, "writer")] },
    ],
    consensusParams: DEFAULT_CONSENSUS_PARAMS,
  };
}

export function signed(signer: TestKey, nonce: number, kind: string, payload: Uint8Array, chainId = CHAIN_ID) {
  return signTransaction({ chainId, nonce, kind, payload }, signer.secretKey);
}

export function blockTx(tx: Transaction, signatureVerified = true): BlockTx {
  return { tx, hash: transactionHash(encodeTransaction(tx)), signatureVerified };
}

/**
 * A ledger over a MemoryState, applying each block's writes as the node would. It tracks each key's next
 * nonce from the transactions it builds; a test that expects a block to be refused calls `resync()`.
 */
export class TestChain {
  readonly state = new MemoryState();
  height = 0;
  time = GENESIS_TIME;
  stateRoot: Uint8Array = new Uint8Array(32);
  private nonces = new Map<string, number>();
  private committedNonces = new Map<string, number>();

  static async create(genesis: Genesis = testGenesis()): Promise<TestChain> {
    const chain = new TestChain();
    const { writes, stateRoot } = await genesisState(genesis);
    chain.state.apply(writes);
    chain.stateRoot = stateRoot;
    return chain;
  }

  nextNonce(k: TestKey): number {
    return this.nonces.get(bytesToHex(k.publicKey)) ?? 0;
  }

  /** A signed transaction of `kind` with the signer's next nonce (or `nonce`). */
  tx<K extends TxKind>(signer: TestKey, kind: K, body: PayloadOf<K>, nonce?: number): BlockTx {
    const n = nonce ?? this.nextNonce(signer);
    if (nonce === undefined) this.nonces.set(bytesToHex(signer.publicKey), n + 1);
    return blockTx(signed(signer, n, kind, buildPayload(kind, body).payload));
  }

  /** Executes and applies a block; on a refused block, forgets the nonces its transactions took. */
  async block(txs: BlockTx[], time = this.time + 1000): Promise<BlockResult> {
    let result: BlockResult;
    try {
      result = await executeBlock(
        { chainId: CHAIN_ID, height: this.height + 1, time, prevStateRoot: this.stateRoot, txs },
        this.state,
      );
    } catch (err) {
      this.nonces = new Map(this.committedNonces);
      throw err;
    }
    this.state.apply(result.writes);
    this.height += 1;
    this.time = time;
    this.stateRoot = result.stateRoot;
    this.committedNonces = new Map(this.nonces);
    return result;
  }

  /** One transaction in its own block; returns its receipt. */
  async run<K extends TxKind>(signer: TestKey, kind: K, body: PayloadOf<K>): Promise<Receipt> {
    const result = await this.block([this.tx(signer, kind, body)]);
    return result.receipts[0] as Receipt;
  }

  /** Empty blocks, e.g. to reach a validator set's effective height. */
  async advance(blocks: number): Promise<void> {
    for (let i = 0; i < blocks; i++) await this.block([]);
  }
}

export function expectOk(receipt: Receipt): Receipt {
  if (!receipt.ok) throw new Error(`expected success, got ${receipt.code}: ${receipt.message}`);
  return receipt;
}

export const text = (s: string) => utf8ToBytes(s);
