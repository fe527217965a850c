import { bytesTo0x, hexToBytes } from "@hansa/core";
import { decodePayload, decodeProposalResult, decodeRecordWriteResult } from "../ledger/index.js";
import type { ReceiptJson, TransactionJson } from "../rpc/types.js";

/** Human output of `hansa tx` and `hansa query`: aligned `label: value` lines, bytes shown readably. */

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Text is shown as text only without control characters (but tab and newlines), so the terminal shows what is stored. */
function printable(text: string): boolean {
  for (const ch of text) {
    if (/\p{Cc}/u.test(ch) && ch !== "\t" && ch !== "\n" && ch !== "\r") return false;
  }
  return true;
}

/** A value as UTF-8 text when it is printable text, else as 0x-hex. */
export function showValue(hex: string | null): string {
  if (hex === null) return "(none)";
  const bytes = hexToBytes(hex);
  if (bytes.length === 0) return '"" (empty)';
  try {
    const text = strictUtf8.decode(bytes);
    if (printable(text)) return text;
  } catch {
    // not UTF-8: fall through to hex
  }
  return `${hex} (${bytes.length} bytes)`;
}

export function showTime(ms: number | null): string {
  return ms === null ? "-" : new Date(ms).toISOString();
}

export function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

/** `label: value` lines with the values aligned; undefined rows are left out. */
export function fields(rows: ([string, string | number] | undefined)[], indent = ""): string {
  const present = rows.filter((r): r is [string, string | number] => r !== undefined);
  const width = Math.max(0, ...present.map(([label]) => label.length)) + 1;
  return present.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)} ${value}`).join("\n");
}

function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? bytesTo0x(value) : value;
}

/** A transaction's payload decoded for reading (record values as text when printable). */
export function showPayload(kind: string, payloadHex: string): string {
  try {
    const { body } = decodePayload(kind, hexToBytes(payloadHex));
    if (kind === "record.put") {
      const { value, ...rest } = body as { value: Uint8Array };
      return JSON.stringify({ ...rest, value: showValue(bytesTo0x(value)) }, jsonBytes);
    }
    return JSON.stringify(body, jsonBytes);
  } catch {
    return `${payloadHex} (does not decode as ${kind})`;
  }
}

/** The kind-specific result of a successful receipt, decoded. */
export function showResult(kind: string, resultHex: string): string | undefined {
  if (resultHex === "0x") return undefined;
  try {
    if (kind.startsWith("record.")) {
      const r = decodeRecordWriteResult(hexToBytes(resultHex));
      return `${r.namespace}/${r.key} version ${r.version}${r.valueHash ? ` (value sha-256 ${bytesTo0x(r.valueHash)})` : " (deleted)"}`;
    }
    if (kind.startsWith("governance.")) {
      const r = decodeProposalResult(hexToBytes(resultHex));
      const effective = r.effectiveHeight === null ? "" : `, new validator set from height ${r.effectiveHeight}`;
      return `proposal ${r.proposalId} ${r.status}${effective}`;
    }
  } catch {
    // an unknown result shape: show the bytes
  }
  return resultHex;
}

export function receiptRows(kind: string, receipt: ReceiptJson): [string, string][] {
  const result = receipt.ok ? showResult(kind, receipt.result) : undefined;
  return [
    ["result", receipt.ok ? "ok" : `FAILED ${receipt.code}: ${receipt.message}`],
    ...(result === undefined ? [] : [["output", result] as [string, string]]),
  ];
}

export function txRows(tx: TransactionJson): [string, string | number][] {
  return [
    ["kind", tx.kind],
    ["sender", `${tx.senderAddress} (${tx.sender})`],
    ["nonce", tx.nonce],
    ["payload", showPayload(tx.kind, tx.payload)],
  ];
}
