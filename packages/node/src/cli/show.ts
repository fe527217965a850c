import { bytesTo0x, hexToBytes } from "@hansa/core";
import { decodeRecordEntry } from "../ledger/index.js";
import type { BlockJson, StateHistoryJson, StateValueJson, TxCommittedJson, TxStatusJson } from "../rpc/types.js";
import { fields, receiptRows, showTime, showValue, txRows } from "./format.js";

/** Human views of RPC results, for `hansa tx --wait` and `hansa query`. */

export function showCommitted(c: TxCommittedJson): string {
  return [
    `committed ${c.hash}`,
    fields(
      [
        ["height", c.height],
        ["index", c.index],
        ["block", c.blockHash],
        ...txRows(c.tx),
        ...receiptRows(c.tx.kind, c.receipt),
      ],
      "  ",
    ),
  ].join("\n");
}

export function showBlock(b: BlockJson): string {
  const h = b.header;
  return [
    `block ${h.height} ${b.hash}`,
    fields(
      [
        ["chain", h.chainId],
        ["time", showTime(h.time)],
        ["proposer", h.proposer],
        ["previous", h.prevBlockHash],
        ["tx root", h.txRoot],
        ["state root", h.stateRoot],
        ["receipts root", h.receiptsRoot],
        ["validator set", h.validatorSetHash],
        ["commit", b.commit ? `round ${b.commit.round}, ${b.commit.signatures.length} signatures` : "(not stored)"],
        ["transactions", b.txs.length],
      ],
      "  ",
    ),
    ...b.txs.map(
      (t, i) => `  ${String(i).padStart(4)}  ${t.hash}  ${t.kind.padEnd(18)} ${t.senderAddress} #${t.nonce}`,
    ),
  ].join("\n");
}

export function showTxStatus(s: TxStatusJson): string {
  switch (s.status) {
    case "committed":
      return showCommitted(s);
    case "pending":
      return [`pending ${s.hash} (in the mempool, not yet in a block)`, fields(txRows(s.tx), "  ")].join("\n");
    case "evicted":
      return `evicted ${s.hash}: ${s.reason}\nre-sign it with a fresh nonce and submit again`;
  }
}

export function showRecord(r: StateValueJson): string {
  const entry = r.entry ? decodeRecordEntry(hexToBytes(r.entry)) : undefined;
  const state = entry === undefined ? "never written" : entry.value === null ? "deleted" : undefined;
  return [
    `${r.namespace}/${r.key}${state ? ` (${state})` : ""}`,
    fields(
      [
        state ? undefined : ["value", showValue(r.value)],
        entry ? ["versions", entry.versions] : undefined,
        entry
          ? ["last write", `height ${entry.height} at ${showTime(entry.time)} by ${bytesTo0x(entry.writer)}`]
          : undefined,
        entry ? ["last tx", bytesTo0x(entry.txHash)] : undefined,
        ["proven at", `height ${r.height}, state root ${r.stateRoot} (--json for the proof)`],
      ],
      "  ",
    ),
  ].join("\n");
}

export function showHistory(h: StateHistoryJson): string {
  if (h.versions.length === 0) return `${h.namespace}/${h.key}: no versions`;
  // Pages run newest first and `nextCursor` is the version after the page, so numbering follows from it.
  const first = h.nextCursor === null ? h.versions.length - 1 : Number(h.nextCursor) + h.versions.length;
  return [
    `${h.namespace}/${h.key}`,
    ...h.versions.map((v, i) =>
      [
        `  version ${first - i}: ${v.value === null ? "(deleted)" : showValue(v.value)}`,
        fields(
          [
            ["height", v.height],
            ["tx", v.txHash],
            ["writer", v.writer],
          ],
          "    ",
        ),
      ].join("\n"),
    ),
    h.nextCursor === null ? "(oldest version reached)" : `more: --cursor ${h.nextCursor}`,
  ].join("\n");
}
