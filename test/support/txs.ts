import { bytesTo0x, encodeTransaction, signTransaction, utf8ToBytes } from "@hansa/core";
import { buildPayload, type HansaClient, type PayloadOf, type TxKind } from "@hansa/node";
import type { E2eAccount } from "./testnet.js";

/** The encoded, signed transaction as hex, ready for `tx_submit`. */
export function signedTx<K extends TxKind>(
  chainId: string,
  account: E2eAccount,
  nonce: number,
  kind: K,
  body: PayloadOf<K>,
): string {
  const { payload } = buildPayload(kind, body);
  return bytesTo0x(encodeTransaction(signTransaction({ chainId, nonce, kind, payload }, account.secretKey)));
}

export function recordPut(
  chainId: string,
  account: E2eAccount,
  nonce: number,
  namespace: string,
  key: string,
  value: string,
): string {
  return signedTx(chainId, account, nonce, "record.put", { namespace, key, value: utf8ToBytes(value) });
}

/** Creates a namespace owned by `account`'s organization and waits for its commit; returns the next nonce. */
export async function createNamespace(
  client: HansaClient,
  chainId: string,
  account: E2eAccount,
  name: string,
): Promise<number> {
  const nonce = (await client.accountGet(account.publicKey)).pendingNonce;
  const tx = signedTx(chainId, account, nonce, "namespace.create", { name, description: `e2e ${name}` });
  const committed = await client.txSubmitAndWait(tx, 20_000);
  if (!committed.receipt.ok)
    throw new Error(`namespace.create ${name} failed: ${committed.receipt.code} ${committed.receipt.message}`);
  return nonce + 1;
}
