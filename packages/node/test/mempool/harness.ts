// A mempool wired to a real store in a temp dir and a small ledger over that store's state: a sender's next
// nonce lives under `nonce/<sender hex>`, and a "forbidden" kind is refused with the ledger's own error.
import {
  bytesToHex,
  encodeTransaction,
  getPublicKey,
  HansaError,
  sha256,
  signTransaction,
  type Transaction,
  utf8ToBytes,
} from "@hansa/core";
import { createMempool, type Mempool, type MempoolLedger, type MempoolOptions } from "../../src/mempool/index.js";
import { type ChainHead, openStore, type StateWrite, type Store } from "../../src/storage/index.js";
import { buildBlockOf, CHAIN_ID, genesis, genesisHash } from "../storage/chain-fixture.js";
import { tempDir } from "../storage/temp-dir.js";

export const keys = ["alice", "bob", "carol"].map((name) => sha256(utf8ToBytes(name)));
const senderIndex = new Map(keys.map((sk, i) => [bytesToHex(getPublicKey(sk)), i]));

/** `sender:nonce`, senders numbered as in `keys`: how tests name transactions. */
export function label(t: { tx: Transaction }): string {
  return `${senderIndex.get(bytesToHex(t.tx.sender))}:${t.tx.nonce}`;
}

export function signedTx(sender: number, nonce: number, kind = "record.put", chainId = CHAIN_ID) {
  const tx = signTransaction(
    { chainId, nonce, kind, payload: utf8ToBytes(`${sender}:${nonce}:${kind}`) },
    keys[sender] as Uint8Array,
  );
  return { tx, bytes: encodeTransaction(tx) };
}

export type LedgerErrorType = { code: "LEDGER_FORBIDDEN"; kind: string };

const nonceKey = (sender: Uint8Array) => utf8ToBytes(`nonce/${bytesToHex(sender)}`);

export class TestLedger implements MempoolLedger {
  readonly store: Store;
  /** Extra refusals a test can switch on, to see rechecks fail. */
  refuse = new Set<string>();
  checks: { nonce: number; expected: number }[] = [];
  /** When set, checks wait for it: lets a test land a block in the middle of an admission. */
  gate: Promise<void> | undefined;

  constructor(store: Store) {
    this.store = store;
  }

  async nextNonce(sender: Uint8Array): Promise<number> {
    const value = await this.store.get(nonceKey(sender));
    return value ? Number(Buffer.from(value).toString()) : 0;
  }

  /** How many checks ran the payload's dry run. */
  dryRuns = 0;

  /** "forbidden" (and `refuse`) kinds fail like a payload the dry run refuses: only when it runs. */
  async check(tx: Transaction, expectedNonce: number, { dryRun }: { dryRun: boolean }): Promise<void> {
    this.checks.push({ nonce: tx.nonce, expected: expectedNonce });
    if (dryRun) this.dryRuns++;
    await this.gate;
    if (dryRun && (tx.kind === "forbidden" || this.refuse.has(tx.kind))) {
      throw new HansaError<LedgerErrorType>({ code: "LEDGER_FORBIDDEN", kind: tx.kind }, "kind is forbidden");
    }
  }
}

export interface Harness {
  store: Store;
  ledger: TestLedger;
  mempool: Mempool;
  /** Commits `txs` as the next block (nonces advance as the ledger would) and feeds it to the mempool. */
  commit(txs: { tx: Transaction; bytes: Uint8Array }[]): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(options: Partial<MempoolOptions> = {}): Promise<Harness> {
  const dir = await tempDir("mempool");
  const store = await openStore({ directory: dir.path });
  await store.initChain(genesis);
  const ledger = new TestLedger(store);
  const mempool = createMempool({ chainId: CHAIN_ID, ...options }, { store, ledger });
  let head: ChainHead = { height: 0, hash: genesisHash };
  let cert = null as Parameters<typeof buildBlockOf>[1];
  return {
    store,
    ledger,
    mempool,
    async commit(txs) {
      const next = new Map<string, StateWrite>();
      for (const { tx } of txs) {
        next.set(bytesToHex(tx.sender), { key: nonceKey(tx.sender), value: utf8ToBytes(String(tx.nonce + 1)) });
      }
      const built = buildBlockOf(
        head,
        cert,
        txs.map((t) => t.bytes),
        () => [...next.values()],
      );
      await store.commitBlock(built.commit);
      head = { height: built.commit.height, hash: built.commit.hash };
      cert = built.cert;
      await mempool.update({ height: head.height, txHashes: built.txHashes, senders: txs.map((t) => t.tx.sender) });
    },
    async close() {
      mempool.stop();
      await store.close();
      await dir.remove();
    },
  };
}

export async function rejection(promise: Promise<unknown>): Promise<{ code: string; type: unknown }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HansaError)) throw new Error(`expected a HansaError, got ${String(err)}`);
  return { code: err.code, type: err.type };
}
