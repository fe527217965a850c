import { sha256 } from "@hansa/core";
import { canWrite } from "../access.js";
import { requireMember, type TxContext } from "../context.js";
import { LedgerErrorCode, ledgerError } from "../errors.js";
import type { PayloadOf } from "../payloads.js";
import { encodeRecordWriteResult } from "../results.js";
import type { NamespaceEntry } from "../schema.js";

/**
 * Record writes. Each put or delete appends a version to the key's history (block height, transaction
 * hash, writer, value) and updates the current entry, which counts the versions and stays as a tombstone
 * after a delete, so the history's length is always committed by the state root.
 */

async function writableNamespace(ctx: TxContext, name: string): Promise<NamespaceEntry> {
  const member = await requireMember(ctx);
  const ns = await ctx.store.namespace(name);
  if (ns === undefined) throw ledgerError(LedgerErrorCode.UNKNOWN_NAMESPACE, `namespace ${name} does not exist`);
  if (!canWrite(ns, member, ctx.sender)) {
    throw ledgerError(LedgerErrorCode.PERMISSION_DENIED, `sender may not write to ${name}`);
  }
  return ns;
}

async function writeVersion(ctx: TxContext, namespace: string, key: string, value: Uint8Array | null) {
  const current = await ctx.store.record(namespace, key);
  const version = current?.versions ?? 0;
  const stamp = { height: ctx.height, time: ctx.time, txHash: ctx.txHash, writer: ctx.sender };
  ctx.store.putVersion(namespace, key, { version, ...stamp, value });
  ctx.store.putRecord({ namespace, key, versions: version + 1, value, ...stamp });
  return encodeRecordWriteResult({ namespace, key, version, valueHash: value === null ? null : sha256(value) });
}

export async function recordPut(ctx: TxContext, p: PayloadOf<"record.put">): Promise<Uint8Array> {
  await writableNamespace(ctx, p.namespace);
  return writeVersion(ctx, p.namespace, p.key, p.value);
}

export async function recordDelete(ctx: TxContext, p: PayloadOf<"record.delete">): Promise<Uint8Array> {
  await writableNamespace(ctx, p.namespace);
  const current = await ctx.store.record(p.namespace, p.key);
  if (current === undefined || current.value === null) {
    throw ledgerError(LedgerErrorCode.RECORD_NOT_FOUND, `no record ${p.key} in ${p.namespace}`);
  }
  return writeVersion(ctx, p.namespace, p.key, null);
}
